import NablaPlot

extension History {
    /// A line per metric against the epoch, e.g. `history.figure(["loss", "val_loss"])`; epochs
    /// lacking a metric are left out of its line.
    public func figure(_ metrics: [String] = ["loss"], title: String = "Training", yLabel: String = "loss",
                       width: Double = 640, height: Double = 440) -> Figure {
        var fig = Figure(width: width, height: height, title: title, xLabel: "epoch", yLabel: yLabel)
        for (i, name) in metrics.enumerated() {
            let points = zip(epochs, self[name]).filter { !$0.1.isNaN }
            guard !points.isEmpty else { continue }
            fig.line(x: points.map { Double($0.0) }, y: points.map(\.1), label: name, color: Color.palette[i % Color.palette.count])
        }
        return fig
    }
}
