// swift-tools-version:6.0
// NablaData: part of Nabla. Depends only on packages below it (Tensor).
import PackageDescription

let package = Package(
    name: "Data",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaData", targets: ["NablaData"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
    ],
    targets: [
        .target(name: "NablaData", dependencies: [.product(name: "NablaTensor", package: "Tensor")]),
    ]
)
