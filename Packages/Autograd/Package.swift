// swift-tools-version:6.0
// NablaAutograd: part of Nabla. Depends only on packages below it (Tensor).
import PackageDescription

let package = Package(
    name: "Autograd",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaAutograd", targets: ["NablaAutograd"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
    ],
    targets: [
        .target(name: "NablaAutograd", dependencies: [.product(name: "NablaTensor", package: "Tensor")]),
        .executableTarget(name: "AutogradBench", dependencies: ["NablaAutograd"], path: "Benchmarks/AutogradBench"),
        .executableTarget(name: "ConvBench", dependencies: ["NablaAutograd"], path: "Benchmarks/ConvBench"),
        .testTarget(name: "NablaAutogradTests", dependencies: [
            "NablaAutograd", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
