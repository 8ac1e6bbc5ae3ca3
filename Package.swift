// swift-tools-version:6.0
// Nabla: the umbrella package, the one to depend on by URL.
//
//     .package(url: "https://github.com/<owner>/nabla", from: "0.1.0")
//     .product(name: "NablaTensor", package: "nabla")      // or NablaAutograd, NablaSerialization, Nabla
//
// Every module's sources live in its own package under Packages/<Name> (which also builds and tests
// alone, from a local path). This manifest names those same source folders directly instead of
// depending on the packages by path: SwiftPM refuses a package fetched by URL that depends on local
// packages. So a user who depends on this repository by URL still gets one product per module.
//
// One `swift test` here builds everything once and runs the tests of every package: the test
// targets below compile each package's own test folder.
import PackageDescription

/// A module's source folder inside its package.
func sources(_ package: String, _ target: String) -> String { "Packages/\(package)/Sources/\(target)" }

/// The modules that are built, bottom first, with the package that holds each and what it imports.
/// Every package under Packages/ is built.
let builtModules: [(package: String, dependencies: [Target.Dependency])] = [
    ("Tensor", [
        .target(name: "CNablaBLAS", condition: .when(platforms: [.linux])),
        "CNablaVector",
        .product(name: "RealModule", package: "swift-numerics"),
        .product(name: "ComplexModule", package: "swift-numerics"),
    ]),
    ("Autograd", ["NablaTensor"]),
    ("Serialization", ["NablaTensor", "CZstd", "CZlib"]),
    ("Layers", ["NablaTensor", "NablaAutograd"]),
    ("Optimizers", ["NablaTensor", "NablaAutograd", "CNablaOptimizers"]),
    ("Data", ["NablaTensor", "NablaSerialization", "CZlib"]),
    // SVG plots; depends on nothing else in Nabla (takes [Double] arrays).
    ("Plot", []),
    ("Sampling", ["NablaTensor", "NablaAutograd", "NablaOptimizers", "NablaData", "NablaPlot"]),
    // The training loop, progress display and whole-run checkpoints: above Layers, Optimizers, Data.
    ("Training", ["NablaTensor", "NablaAutograd", "NablaSerialization", "NablaLayers", "NablaOptimizers",
                  "NablaData", "NablaPlot"]),
]
let emptyModules: [(package: String, dependencies: [Target.Dependency])] = [
]

let allModules = builtModules + emptyModules

let products: [Product] = [.library(name: "Nabla", targets: ["Nabla"])]
    + builtModules.map { module -> Product in .library(name: "Nabla" + module.package, targets: ["Nabla" + module.package]) }
    + [
        // The subcommands of `nabla` as a library, so a program that registers its own ops or formats can run them.
        .library(name: "NablaTools", targets: ["NablaTools"]),
        .executable(name: "nabla", targets: ["NablaCLI"]),
        .executable(name: "nabla-demo", targets: ["NablaDemo"]),
        // The lecture models as runnable examples: swift run -c release nabla-examples --help
        .executable(name: "nabla-examples", targets: ["NablaExamplesCLI"]),
    ]

let moduleTargets: [Target] = allModules.map { module -> Target in
    let linker: [LinkerSetting]? = module.package == "Tensor"
        ? [.linkedFramework("Accelerate", .when(platforms: [.macOS]))] : nil
    return .target(name: "Nabla" + module.package, dependencies: module.dependencies,
                   path: sources(module.package, "Nabla" + module.package), linkerSettings: linker)
}

let umbrellaDependencies: [Target.Dependency] = allModules.map { module -> Target.Dependency in
    .target(name: "Nabla" + module.package)
}

let otherTargets: [Target] = [
    .target(name: "Nabla", dependencies: umbrellaDependencies),
    .executableTarget(name: "NablaDemo", dependencies: ["Nabla"]),
    // The `nabla` tool: subcommands live in the NablaTools library (tested in-process), the
    // executable only calls it.
    .target(name: "NablaTools", dependencies: [
        "NablaSerialization", "NablaAutograd",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ], path: "Tools/Sources/NablaTools"),
    .executableTarget(name: "NablaCLI", dependencies: ["NablaTools", "NablaSampling"], path: "Tools/Sources/NablaCLI"),
    // The lecture models (regression, over-fitting, MLE, classifiers, vanishing gradients, optimizer
    // paths, …): one file per example, each a function returning its numbers and SVG figures.
    .target(name: "NablaExamples", dependencies: [
        "NablaTensor", "NablaAutograd", "NablaLayers", "NablaOptimizers", "NablaData", "NablaPlot",
    ], path: "Examples/Sources/NablaExamples"),
    .executableTarget(name: "NablaExamplesCLI", dependencies: [
        "NablaExamples", .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ], path: "Examples/Sources/NablaExamplesCLI"),

    // Run-time dispatched SSE2/AVX2/AVX-512 elementwise kernels over SLEEF (libsleef-dev) on Linux
    // x86-64; elsewhere it compiles to stubs and the Swift kernels run.
    .target(name: "CNablaVector", path: sources("Tensor", "CNablaVector"),
            linkerSettings: [.linkedLibrary("sleef", .when(platforms: [.linux]))]),

    // NablaOptimizers' update loops at AVX2+FMA / AVX-512F width (x86-64; stubs elsewhere).
    .target(name: "CNablaOptimizers", path: sources("Optimizers", "CNablaOptimizers")),

    // MARK: - System libraries (their module maps live in the packages that use them)
    .systemLibrary(name: "CNablaBLAS", path: sources("Tensor", "CNablaBLAS"), pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .systemLibrary(name: "CZstd", path: sources("Serialization", "CZstd"), pkgConfig: "libzstd",
                   providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
    .systemLibrary(name: "CZlib", path: sources("Serialization", "CZlib"), pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"])]),

    // MARK: - Tests (not part of any product)
    .target(name: "_NablaTestSupport", dependencies: [
        "NablaTensor", .target(name: "CNablaBLAS", condition: .when(platforms: [.linux])),
    ], path: sources("Tensor", "_NablaTestSupport")),
    .testTarget(name: "NablaToolsTests", dependencies: ["NablaTools", "NablaAutograd", "NablaSerialization"],
                path: "Tools/Tests/NablaToolsTests"),
    // Spawned and SIGKILLed by the Serialization crash-safety test.
    .executableTarget(name: "CheckpointWriterHelper", dependencies: ["NablaSerialization"],
                      path: "Packages/Serialization/Tests/CheckpointWriterHelper"),
    .testTarget(name: "IntegrationTests", dependencies: ["Nabla", "_NablaTestSupport"]),
    .testTarget(name: "NablaExamplesTests", dependencies: ["NablaExamples", "_NablaTestSupport"],
                path: "Examples/Tests/NablaExamplesTests"),
]

let packageTests: [Target] = builtModules.map { module -> Target in
    .testTarget(name: "Nabla\(module.package)Tests", dependencies: [.target(name: "Nabla" + module.package), "_NablaTestSupport"],
                path: "Packages/\(module.package)/Tests/Nabla\(module.package)Tests")
}

let package = Package(
    name: "Nabla",
    platforms: [.macOS(.v14)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: moduleTargets + otherTargets + packageTests
)
