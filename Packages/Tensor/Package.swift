// swift-tools-version:6.0
// NablaTensor: n-dimensional arrays, broadcasting, BLAS/LAPACK-backed linear algebra, einsum, RNG.
// The bottom of Nabla: it imports no other Nabla package.
import PackageDescription

let package = Package(
    name: "Tensor",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaTensor", targets: ["NablaTensor"]),
        // Implementation detail shared by every package's tests; not public API.
        .library(name: "_NablaTestSupport", targets: ["_NablaTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "NablaTensor",
            dependencies: [
                .target(name: "CNablaBLAS", condition: .when(platforms: [.linux])),
                "CNablaVector",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "ComplexModule", package: "swift-numerics"),
            ],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        .executableTarget(
            name: "TensorBench",
            dependencies: ["NablaTensor", "CNablaVector", .target(name: "CNablaBLAS", condition: .when(platforms: [.linux]))],
            path: "Benchmarks/TensorBench"),
        .executableTarget(name: "SmallTensorBench", dependencies: ["NablaTensor"], path: "Benchmarks/SmallTensorBench"),

        // MARK: - Implementation details
        .systemLibrary(
            name: "CNablaBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Run-time dispatched SSE2/AVX2/AVX-512 elementwise kernels over SLEEF (libsleef-dev) on
        // Linux x86-64; elsewhere it compiles to stubs and the Swift kernels run.
        .target(name: "CNablaVector",
                linkerSettings: [.linkedLibrary("sleef", .when(platforms: [.linux]))]),
        .target(name: "_NablaTestSupport", dependencies: [
            "NablaTensor", .target(name: "CNablaBLAS", condition: .when(platforms: [.linux])),
        ]),
        .testTarget(name: "NablaTensorTests", dependencies: ["NablaTensor", "_NablaTestSupport"]),
    ]
)
