import Foundation

/// A progress display for training, like tqdm or Keras's: on a terminal one line updating in place
/// (epoch, a bar, batch, loss, accuracy, samples/s, ETA); when the output is not a terminal (CI, a
/// file) one plain line per epoch; or nothing.
///
/// ```swift
/// let trainer = Trainer(model: model, optimizer: adam, progress: ProgressDisplay())              // automatic
/// let quiet = Trainer(model: model, optimizer: adam, progress: ProgressDisplay(mode: .off))
/// let every100 = ProgressDisplay(lineEvery: 100)     // keep a line every 100 epochs (full-batch runs)
/// ```
///
/// A plain line reads
/// `epoch 3/10: loss 0.5123, accuracy 0.8533, val_loss 0.6012 (300 samples, 20.0 ms, 15000 samples/s)`.
public final class ProgressDisplay {
    /// Where and how progress is shown.
    public enum Mode: Sendable, Equatable {
        /// ``terminal`` when standard output is a terminal (`isatty`), else ``lines``.
        case automatic
        /// One line rewritten in place with `\r` and an ANSI erase, a new line kept per epoch.
        case terminal
        /// One plain line per epoch (every ``ProgressDisplay/lineEvery`` epochs and the last).
        case lines
        /// Nothing.
        case off
    }

    /// The resolved mode: never ``Mode/automatic``.
    public let mode: Mode
    /// A line is kept every this many epochs (and for the first and last); in between, a terminal
    /// line is overwritten and plain output skips the epoch.
    public let lineEvery: Int
    /// The width of the bar in characters.
    public let barWidth: Int
    /// The seconds between two in-place refreshes on a terminal.
    public let refreshInterval: Double
    private let write: (String) -> Void
    private let clock: () -> Double

    private var runStart = 0.0, epochStart = 0.0, lastRefresh = -Double.infinity
    private var firstEpoch = 0, totalEpochs = 0
    private var batchesDone = 0        // over the run, for the ETA
    private var lastWidth = 0

    /// A display writing to `output` (standard output by default).
    ///
    /// - Parameters:
    ///   - mode: ``Mode/automatic`` picks ``Mode/terminal`` when standard output is a terminal.
    ///   - lineEvery: keep one line every this many epochs (1: every epoch).
    ///   - barWidth: characters of the bar.
    ///   - refreshInterval: seconds between in-place refreshes.
    ///   - output: receives each piece of text; the default writes to standard output and flushes.
    ///   - clock: seconds from any origin; the default is the monotonic clock. Tests pass a fake one.
    public init(mode: Mode = .automatic, lineEvery: Int = 1, barWidth: Int = 24, refreshInterval: Double = 0.1,
                output: ((String) -> Void)? = nil, clock: (() -> Double)? = nil) {
        precondition(lineEvery >= 1, "ProgressDisplay: lineEvery must be at least 1")
        if mode == .automatic {
            self.mode = isatty(STDOUT_FILENO) != 0 ? .terminal : .lines
        } else {
            self.mode = mode
        }
        self.lineEvery = lineEvery
        self.barWidth = barWidth
        self.refreshInterval = refreshInterval
        // Through `print`, so the display and the program's own prints stay in order; flushed, so a
        // terminal line updates at once.
        self.write = output ?? { text in
            print(text, terminator: "")
            fflush(nil)
        }
        self.clock = clock ?? { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    }

    /// Called once before the first epoch: training runs epochs `startEpoch + 1 ... totalEpochs`.
    public func trainingWillBegin(startEpoch: Int, totalEpochs: Int) {
        firstEpoch = startEpoch
        self.totalEpochs = totalEpochs
        runStart = clock()
        batchesDone = 0
        lastRefresh = -.infinity
    }

    /// Called when epoch `epoch` (from 1) starts.
    public func epochWillBegin(_ epoch: Int) {
        epochStart = clock()
    }

    /// Called after each batch. `batch` counts from 1; `batches` is nil when unknown. `logs` holds
    /// the running means of the epoch so far; `samples` the samples seen this epoch.
    public func batchDidEnd(epoch: Int, batch: Int, batches: Int?, samples: Int, logs: TrainingLogs) {
        batchesDone += 1
        guard mode == .terminal else { return }
        let now = clock()
        let lastOfEpoch = batches.map { batch == $0 } ?? false
        guard now - lastRefresh >= refreshInterval || (lastOfEpoch && keepsLine(epoch)) else { return }
        lastRefresh = now
        var parts = ["epoch \(epoch)/\(totalEpochs)"]
        // The bar covers the epoch's batches, or the run's epochs when each epoch is one batch.
        if let batches, batches > 1 {
            parts.append(bar(Double(batch) / Double(batches)) + " \(batch)/\(batches)")
        } else if batches == nil {
            parts.append("batch \(batch)")
        } else {
            parts.append(bar(Double(epoch - firstEpoch) / Double(max(1, totalEpochs - firstEpoch))))
        }
        parts.append(contentsOf: logs.map { "\($0.name) \(formatMetric($0.value))" })
        let elapsed = now - epochStart
        if elapsed > 0 { parts.append("\(formatRate(Double(samples) / elapsed)) samples/s") }
        if let eta = eta(epoch: epoch, batch: batch, batches: batches, now: now) { parts.append("ETA \(formatDuration(eta))") }
        rewrite(parts.joined(separator: " · "))
    }

    /// Called after each epoch with its final metrics (validation included), its sample count.
    public func epochDidEnd(_ epoch: Int, samples: Int, logs: TrainingLogs) {
        let seconds = clock() - epochStart
        guard mode != .off, keepsLine(epoch) else { return }
        let rate = seconds > 0 ? ", \(formatRate(Double(samples) / seconds)) samples/s" : ""
        let line = "epoch \(epoch)/\(totalEpochs): \(logs) (\(samples) samples, \(formatSeconds(seconds))\(rate))"
        if mode == .terminal {
            rewrite(line)
            write("\n")
            lastWidth = 0
        } else {
            write(line + "\n")
        }
    }

    /// Called once after the last epoch (or an early stop): ends a pending terminal line.
    public func trainingDidEnd(epochs: Int) {
        if mode == .terminal && lastWidth > 0 { write("\n"); lastWidth = 0 }
        if mode != .off && epochs > 0 {
            write("trained \(epochs) epoch\(epochs == 1 ? "" : "s") in \(formatSeconds(clock() - runStart))\n")
        }
    }

    /// Whether epoch `epoch` keeps a line of its own.
    func keepsLine(_ epoch: Int) -> Bool {
        epoch == firstEpoch + 1 || epoch == totalEpochs || epoch % lineEvery == 0
    }

    /// Rewrites the terminal line: carriage return, the text, then an erase to the end of the line.
    private func rewrite(_ text: String) {
        write("\r" + text + "\u{1B}[K")
        lastWidth = text.count
    }

    private func bar(_ fraction: Double) -> String {
        let f = min(max(fraction, 0), 1)
        let filled = Int((f * Double(barWidth)).rounded(.down))
        return "|" + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled) + "|"
    }

    private func eta(epoch: Int, batch: Int, batches: Int?, now: Double) -> Double? {
        guard let batches, batchesDone > 0 else { return nil }
        let remaining = (totalEpochs - epoch) * batches + (batches - batch)
        return (now - runStart) / Double(batchesDone) * Double(remaining)
    }
}

/// `15000`, `45.2k`, `1.31M`.
func formatRate(_ r: Double) -> String {
    if r >= 1e6 { return String(format: "%.2fM", r / 1e6) }
    if r >= 1e4 { return String(format: "%.1fk", r / 1e3) }
    return String(format: "%.0f", r)
}

/// `180 µs`, `12.5 ms`, `3.25 s`.
func formatSeconds(_ s: Double) -> String {
    if s < 1e-3 { return String(format: "%.0f µs", s * 1e6) }
    if s < 1 { return String(format: "%.1f ms", s * 1e3) }
    return String(format: "%.2f s", s)
}

/// `0:07`, `12:03`, `1:02:03`.
func formatDuration(_ s: Double) -> String {
    let t = Int(s.rounded(.up))
    let (h, m, sec) = (t / 3600, (t / 60) % 60, t % 60)
    return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%d:%02d", m, sec)
}
