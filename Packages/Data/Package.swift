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
        .package(path: "../Plot"),   // only for the DataGallery example, never for NablaData itself
    ],
    targets: [
        .target(name: "NablaData", dependencies: [
            .product(name: "NablaTensor", package: "Tensor"),
            .product(name: "NablaSerialization", package: "Serialization"),
            // zlib, for gzip-compressed IDX files; the module map lives in Serialization.
            .product(name: "CZlib", package: "Serialization"),
        ]),
        .executableTarget(name: "DataBench", dependencies: ["NablaData"], path: "Benchmarks/DataBench"),
        // Writes the figures of docs/data.md: swift run --package-path Packages/Data DataGallery docs/figures
        .executableTarget(name: "DataGallery", dependencies: [
            "NablaData", .product(name: "NablaPlot", package: "Plot"),
        ], path: "Examples/DataGallery"),
        .testTarget(name: "NablaDataTests", dependencies: [
            "NablaData", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
