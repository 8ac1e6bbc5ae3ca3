// swift-tools-version:6.0
// Nabla: the umbrella package. Product `Nabla` re-exports every package under Packages/;
// the executables are the demo and the `nabla` command-line tool.
//
// The test targets below compile each package's own test folder into this package, so that one
// `swift test` at the root builds everything once and runs the tests of every package.
import PackageDescription

/// The local packages, bottom first. Each is a Swift package of its own under Packages/.
let packages = ["Tensor", "Autograd", "Layers", "Optimizers", "Data", "Sampling", "Serialization"]
/// Packages whose tests exist and run from the root.
let testedPackages = ["Tensor", "Autograd", "Serialization"]

func module(_ name: String) -> Target.Dependency { .product(name: "Nabla" + name, package: name) }

let package = Package(
    name: "Nabla",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Nabla", targets: ["Nabla"]),
        .executable(name: "nabla-demo", targets: ["NablaDemo"]),
        .executable(name: "nabla", targets: ["NablaCLI"]),
        // The subcommands as a library, so a program that registers its own ops or formats can run them.
        .library(name: "NablaTools", targets: ["NablaTools"]),
    ],
    dependencies: packages.map { .package(path: "Packages/" + $0) } + [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Nabla", dependencies: packages.map(module)),
        .executableTarget(name: "NablaDemo", dependencies: ["Nabla"]),
        // The `nabla` tool: subcommands live in the NablaTools library (tested in-process), the
        // executable only calls it.
        .target(name: "NablaTools", dependencies: [
            module("Serialization"), module("Autograd"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/Sources/NablaTools"),
        .executableTarget(name: "NablaCLI", dependencies: ["NablaTools"], path: "Tools/Sources/NablaCLI"),
        .testTarget(name: "NablaToolsTests", dependencies: ["NablaTools", module("Autograd"), module("Serialization")], path: "Tools/Tests/NablaToolsTests"),
        // Spawned and SIGKILLed by the Serialization crash-safety test.
        .executableTarget(name: "CheckpointWriterHelper", dependencies: [module("Serialization")],
                          path: "Packages/Serialization/Tests/CheckpointWriterHelper"),
        .testTarget(name: "IntegrationTests", dependencies: ["Nabla", .product(name: "_NablaTestSupport", package: "Tensor")]),
    ] + testedPackages.map { name in
        .testTarget(
            name: "Nabla\(name)Tests",
            dependencies: [module(name), .product(name: "_NablaTestSupport", package: "Tensor")],
            path: "Packages/\(name)/Tests/Nabla\(name)Tests")
    }
)
