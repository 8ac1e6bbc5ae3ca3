// swift-tools-version:6.0
// NablaTraining: part of Nabla. The training-loop helper, its progress display and whole-run
// checkpoints: it needs Layers, Optimizers, Data and Serialization together, so it sits above them.
import PackageDescription

let package = Package(
    name: "Training",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaTraining", targets: ["NablaTraining"]),
    ],
    dependencies: [
        .package(path: "../Tensor"),
        .package(path: "../Autograd"),
        .package(path: "../Serialization"),
        .package(path: "../Layers"),
        .package(path: "../Optimizers"),
        .package(path: "../Data"),
        .package(path: "../Plot"),
    ],
    targets: [
        .target(name: "NablaTraining", dependencies: [
            .product(name: "NablaTensor", package: "Tensor"),
            .product(name: "NablaAutograd", package: "Autograd"),
            .product(name: "NablaSerialization", package: "Serialization"),
            .product(name: "NablaLayers", package: "Layers"),
            .product(name: "NablaOptimizers", package: "Optimizers"),
            .product(name: "NablaData", package: "Data"),
            .product(name: "NablaPlot", package: "Plot"),
        ]),
        // One Adam step of 2-100-3 and 784-512-512-10, and the spiral run; benchmarks/run_training_bench.sh
        // runs it (release) beside benchmarks/torch_training_bench.py.
        .executableTarget(name: "TrainingBench", dependencies: ["NablaTraining"], path: "Benchmarks/TrainingBench"),
        .testTarget(name: "NablaTrainingTests", dependencies: [
            "NablaTraining", .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
