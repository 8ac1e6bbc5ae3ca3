// swift-tools-version:6.0
// NablaPlot: part of Nabla, but depends on nothing else in Nabla. SVG figures (line, scatter,
// decision regions, bands, histograms, contours) written with no outside dependency; takes [Double].
import PackageDescription

let package = Package(
    name: "Plot",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "NablaPlot", targets: ["NablaPlot"]),
    ],
    targets: [
        .target(name: "NablaPlot"),
        .testTarget(name: "NablaPlotTests", dependencies: ["NablaPlot"]),
    ]
)
