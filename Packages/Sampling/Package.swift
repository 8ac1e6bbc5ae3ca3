// swift-tools-version:6.0
// NablaSampling: part of Nabla. Depends only on packages below it (Tensor, Autograd, Optimizers, Data, Plot).
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
        .package(path: "../Optimizers"),
        .package(path: "../Data"),
        .package(path: "../Plot"),
    ],
    targets: [
        .target(name: "NablaSampling", dependencies: [
            .product(name: "NablaTensor", package: "Tensor"), .product(name: "NablaAutograd", package: "Autograd"),
            .product(name: "NablaOptimizers", package: "Optimizers"), .product(name: "NablaData", package: "Data"),
            .product(name: "NablaPlot", package: "Plot"),
        ]),
        // The figures of docs/bayesian.md: swift run --package-path Packages/Sampling bayes-examples degree16 docs/figures
        .executableTarget(name: "bayes-examples", dependencies: [
            "NablaSampling", .product(name: "NablaPlot", package: "Plot"), .product(name: "NablaData", package: "Data"),
        ], path: "Examples/BayesExamples"),
        // Release benchmark of uncertainty propagation and the Bayesian linear regression predictive.
        .executableTarget(name: "BayesBench", dependencies: ["NablaSampling"], path: "Benchmarks/BayesBench"),
        .executableTarget(name: "SamplingBench", dependencies: ["NablaSampling"], path: "Benchmarks/SamplingBench"),
        .executableTarget(name: "MCMCBench", dependencies: ["NablaSampling"], path: "Benchmarks/MCMCBench"),
        .testTarget(name: "NablaSamplingTests", dependencies: [
            "NablaSampling", .product(name: "NablaData", package: "Data"), .product(name: "_NablaTestSupport", package: "Tensor"),
        ]),
    ]
)
