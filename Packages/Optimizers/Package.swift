// swift-tools-version:6.0
// NablaOptimizers: part of Nabla. Depends only on packages below it (Tensor,Autograd).
import PackageDescription

let package = Package(
    name: "Optimizers",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaOptimizers", targets: ["NablaOptimizers"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../Autograd"),
    ],
    targets: [
        .target(name: "NablaOptimizers", dependencies: [
            "CNablaOptimizers", .product(name: "NablaTensor", package: "Tensor"),
            .product(name: "NablaAutograd", package: "Autograd"),
        ]),
        // The update loops at AVX2+FMA / AVX-512F width (x86-64; stubs elsewhere).
        .target(name: "CNablaOptimizers"),
        .testTarget(name: "NablaOptimizersTests", dependencies: [
            "NablaOptimizers", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
