// swift-tools-version:6.0
// NablaSerialization: part of Nabla. Depends only on packages below it (Tensor).
// Checkpoint formats (native zstd-compressed, safetensors, .npy/.npz) behind one protocol and a registry.
import PackageDescription

let package = Package(
    name: "Serialization",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaSerialization", targets: ["NablaSerialization"]),
        // zlib's module, for packages above (Data reads gzip-compressed IDX files with it).
        .library(name: "CZlib", targets: ["CZlib"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
    ],
    targets: [
        .target(name: "NablaSerialization", dependencies: [
            .product(name: "NablaTensor", package: "Tensor"), "CZstd", "CZlib",
        ]),
        .executableTarget(name: "SerializationBench", dependencies: ["NablaSerialization"],
                          path: "Benchmarks/SerializationBench"),

        // MARK: - Implementation details
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .testTarget(name: "NablaSerializationTests", dependencies: [
            "NablaSerialization", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
        // Tests/CheckpointWriterHelper is built by the root package (the crash-safety test spawns it;
        // standalone, that test is skipped).
    ]
)
