// swift-tools-version:6.0
// NablaLayers: part of Nabla. Depends only on packages below it (Tensor,Autograd).
import PackageDescription

let package = Package(
    name: "Layers",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaLayers", targets: ["NablaLayers"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../Autograd"),
    ],
    targets: [
        .target(name: "NablaLayers", dependencies: [.product(name: "NablaTensor", package: "Tensor"), .product(name: "NablaAutograd", package: "Autograd")]),
        .testTarget(name: "NablaLayersTests", dependencies: [
            "NablaLayers", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
