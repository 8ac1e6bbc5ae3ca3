// swift-tools-version:6.0
// NablaSampling: part of Nabla. Depends only on packages below it (Tensor, Autograd).
import PackageDescription

let package = Package(
    name: "Sampling",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaSampling", targets: ["NablaSampling"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../Autograd"),
    ],
    targets: [
        .target(name: "NablaSampling", dependencies: [.product(name: "NablaTensor", package: "Tensor"), .product(name: "NablaAutograd", package: "Autograd")]),
        .executableTarget(name: "SamplingBench", dependencies: ["NablaSampling"], path: "Benchmarks/SamplingBench"),
        .testTarget(name: "NablaSamplingTests", dependencies: [
            "NablaSampling", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
