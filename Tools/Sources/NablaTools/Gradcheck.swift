import ArgumentParser
import NablaAutograd

/// `nabla gradcheck [--op NAME]…`: checks every op in the Autograd registry against central
/// differences, first and second order, in Double.
///
/// The registry is `OpRegistry.shared`: the built-in ops plus whatever the running program
/// registered. To check your own ops, build a three-line executable that registers them and then
/// calls `NablaTool.run(Array(CommandLine.arguments.dropFirst()))` (see docs/tools.md).
struct Gradcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every registered differentiable op against central differences (Double, first and second order).",
        discussion: """
        For each op and each of its sample inputs, the Jacobian from reverse mode (VJP) and from forward mode (JVP) \
        is compared entry by entry with central differences; the second-order check does the same for the \
        Jacobian of a vector-Jacobian product. An entry passes when |analytical - numerical| <= atol + rtol*|numerical| \
        (torch.autograd.gradcheck's rule and defaults). Exit status 1 if any op fails.
        """)

    @Option(name: .customLong("op"), help: "Check only this op (repeatable). Default: every registered op.")
    var ops: [String] = []

    @Flag(help: "Skip the second-order check.")
    var firstOrderOnly = false

    @Option(help: "Finite-difference step.")
    var eps: Double = 1e-6

    @Option(help: "Absolute tolerance.")
    var atol: Double = 1e-5

    @Option(help: "Relative tolerance.")
    var rtol: Double = 1e-3

    @Flag(help: "List the registered op names and exit.")
    var list = false

    func validate() throws {
        guard eps > 0, atol >= 0, rtol >= 0 else {
            throw ValidationError("--eps must be positive and --atol, --rtol non-negative")
        }
    }

    func run() throws {
        let console = Console.current
        let registry = OpRegistry.shared
        if list {
            registry.names.forEach { console.print($0) }
            return
        }
        let selected = try registry.operators(named: ops, command: "gradcheck")

        var rows: [[String]] = []
        var failures = 0
        for op in selected {
            for (s, sample) in op.samples.enumerated() {
                let report = checkGradients(of: { op.apply($0) }, at: sample, eps: eps, atol: atol, rtol: rtol,
                                            checkSecondOrder: !firstOrderOnly)
                if !report.passed { failures += 1 }
                let shapes = sample.map { Output.shape($0.shape) }.joined(separator: " ")
                if let w = report.worst {
                    rows.append([op.name, "\(s)", shapes, report.passed ? "ok" : "FAIL",
                                 Output.number(w.errorRatio), "order \(w.order) \(w.mode)",
                                 "∂out\(Output.shape(w.outputIndex))/∂in\(w.input)\(Output.shape(w.inputIndex))",
                                 Output.number(w.numerical), Output.number(w.analytical)])
                } else {
                    rows.append([op.name, "\(s)", shapes, "ok", "0", "-", "-", "-", "-"])
                }
            }
        }
        console.print(Output.table(
            ["op", "sample", "input shapes", "result", "worst error/tol", "where", "entry", "numerical", "analytical"], rows))
        let checked = rows.count
        if failures > 0 {
            console.print("\(failures) of \(checked) op samples FAILED")
            throw CheckFailed()
        }
        console.print("all \(checked) op samples passed (\(Set(selected.map(\.name)).count) ops)")
    }
}
