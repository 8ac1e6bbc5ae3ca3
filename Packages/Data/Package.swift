// swift-tools-version:6.0
// NablaData: part of Nabla. Depends only on packages below it (Tensor, Serialization).
// Datasets, loaders with background prefetch, splits, transforms, file readers (CSV, .npy/.npz, IDX)
// and seeded synthetic data.
import PackageDescription

let package = Package(
    name: "Data",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaData", targets: ["NablaData"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../Serialization"),
    ],
    targets: [
        .target(name: "NablaData", dependencies: [
            .product(name: "NablaTensor", package: "Tensor"),
            .product(name: "NablaSerialization", package: "Serialization"),
            // zlib, for gzip-compressed IDX files; the module map lives in Serialization.
            .product(name: "CZlib", package: "Serialization"),
        ]),
        .executableTarget(name: "DataBench", dependencies: ["NablaData"], path: "Benchmarks/DataBench"),
        .testTarget(name: "NablaDataTests", dependencies: [
            "NablaData", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
