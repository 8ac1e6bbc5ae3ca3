import ArgumentParser
import NablaAutograd

/// `nabla vmapcheck [--op NAME]…`: checks the batching rule (`vmap`) of every op in the Autograd
/// registry against a loop over the batch, in value and gradient, in Double.
///
/// Like `nabla gradcheck`, the registry is `OpRegistry.shared`: the built-in ops plus whatever the
/// running program registered (see docs/tools.md for checking your own ops).
struct VMapCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmapcheck",
        abstract: "Check every registered op's batching rule (vmap) against a loop over the batch (Double).",
        discussion: """
        For each op and each of its sample inputs, vmap of the op is compared with the op applied to each batch \
        element and stacked, for inputs batched on axis 0, on their last axis, and one at a time (the others \
        unbatched): values, and the gradients of a random projection of the output through the rule and \
        through the loop. An entry passes when |vmap - loop| / max(1, |loop|) <= --tolerance. The "rule" column \
        says "loop fallback" when an op without a batching rule ran once per element (correct, slower); with \
        --require-rules that counts as a failure. Exit status 1 if any op fails.
        """)

    @Option(name: .customLong("op"), help: "Check only this op (repeatable). Default: every registered op.")
    var ops: [String] = []

    @Option(help: "Largest accepted relative difference between vmap and the loop.")
    var tolerance: Double = 1e-10

    @Flag(help: "Fail an op whose check ran the loop fallback (an op without a batching rule).")
    var requireRules = false

    @Flag(help: "List the registered op names and exit.")
    var list = false

    func validate() throws {
        guard tolerance >= 0 else { throw ValidationError("--tolerance must be non-negative") }
    }

    func run() throws {
        let console = Console.current
        let registry = OpRegistry.shared
        if list {
            registry.names.forEach { console.print($0) }
            return
        }
        let selected = try registry.operators(named: ops, command: "vmapcheck")

        var rows: [[String]] = []
        var failures = 0, fallbacks = 0
        for op in selected {
            for (s, sample) in op.samples.enumerated() {
                let report = batchingReport(of: op, at: sample, tolerance: tolerance)
                let fellBack = !report.fallbackOps.isEmpty
                let failed = !report.passed || (requireRules && fellBack)
                if failed { failures += 1 }
                if fellBack { fallbacks += 1 }
                let shapes = sample.map { Output.shape($0.shape) }.joined(separator: " ")
                let rule = fellBack ? "loop fallback (" + report.fallbackOps.joined(separator: ", ") + ")" : "rule"
                rows.append([op.name, "\(s)", shapes, failed ? "FAIL" : "ok", rule, "\(report.patternCount)",
                             Output.number(report.worstError), report.failures.first ?? "-"])
            }
        }
        console.print(Output.table(
            ["op", "sample", "input shapes", "result", "rule", "patterns", "worst error", "first mismatch"], rows))
        let checked = rows.count
        let fallbackNote = fallbacks > 0 ? "; \(fallbacks) ran the loop fallback" : ""
        if failures > 0 {
            console.print("\(failures) of \(checked) op samples FAILED\(fallbackNote)")
            throw CheckFailed()
        }
        console.print("all \(checked) op samples passed (\(Set(selected.map(\.name)).count) ops)\(fallbackNote)")
    }
}
