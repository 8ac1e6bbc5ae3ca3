// swift-tools-version:6.0
// NablaSerialization: part of Nabla. Depends only on packages below it (Tensor).
import PackageDescription

let package = Package(
    name: "Serialization",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaSerialization", targets: ["NablaSerialization"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
    ],
    targets: [
        .target(name: "NablaSerialization", dependencies: [.product(name: "NablaTensor", package: "Tensor")]),
    ]
)
