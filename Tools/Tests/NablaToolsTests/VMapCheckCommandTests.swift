import Testing
import NablaTensor
import NablaAutograd
@testable import NablaTools

/// 2x with a batching rule that applies the op to the whole batch at once (correct).
struct ToolTestDoubling: DifferentiableOperator {
    var name: String { "tooltest.doubling" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([[0.5, -1.5, 2], [1, 2, 3]])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * 2 }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] { [ct * 2] }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * 2 }
    func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> { Variable.applying(self, inputs) }
}

/// 2x with a deliberately broken batching rule: it reverses the batch, so element i gets element
/// B−1−i's result. The check's batch elements are x, 0.8x and 1.25x of the sample, so element 0 gets
/// 2·1.25x instead of 2x: relative error |2.5x − 2x| / max(1, |2x|) = 0.25 for every |x| ≥ 0.5
/// (every entry of the sample), in pattern inAxes [0], the first checked. The gradients are wrong too.
struct ToolTestReversingDoubling: DifferentiableOperator {
    var name: String { "tooltest.reversingDoubling" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([[0.5, -1.5, 2], [1, 2, 3]])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * 2 }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] { [ct * 2] }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * 2 }
    func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        let x = inputs[0]
        return stack((0..<x.shape[0]).reversed().map { x[$0] }) * 2
    }
}

/// 3x without a batching rule: the loop fallback (correct, reported).
struct ToolTestTripling: DifferentiableOperator {
    var name: String { "tooltest.tripling" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([0.5, -1.5, 2])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * 3 }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] { [ct * 3] }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * 3 }
}

@Suite("nabla vmapcheck")
struct VMapCheckCommandTests {
    init() {
        OpRegistry.shared.register(ToolTestDoubling())
        OpRegistry.shared.register(ToolTestReversingDoubling())
        OpRegistry.shared.register(ToolTestTripling())
    }

    /// The row of `op` in the printed table, split into its columns (two or more spaces apart).
    func row(_ out: String, _ op: String) -> [String] {
        guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix(op + " ") }) else { return [] }
        return line.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func userRuleIsFoundAndPasses() {
        let r = nabla(["vmapcheck", "--op", "tooltest.doubling", "--require-rules"], in: "/nonexistent")
        #expect(r.status == 0, "\(r.out)")
        // One input: patterns axis 0 and last axis; the rule is exact.
        #expect(row(r.out, "tooltest.doubling") == ["tooltest.doubling", "0", "[2, 3]", "ok", "rule", "2", "0", "-"])
        #expect(r.out.hasSuffix("all 1 op samples passed (1 ops)\n"))
    }

    @Test func brokenRuleFailsAndSaysWhere() {
        let r = nabla(["vmapcheck", "--op", "tooltest.reversingDoubling"], in: "/nonexistent")
        #expect(r.status == 1)
        let fields = row(r.out, "tooltest.reversingDoubling")
        #expect(fields.count == 8)
        #expect(fields.prefix(6) == ["tooltest.reversingDoubling", "0", "[2, 3]", "FAIL", "rule", "2"])
        #expect((Double(fields[6]) ?? 0) >= 0.25)   // the value's 0.25 or a larger gradient error
        #expect(fields[7] == "tooltest.reversingDoubling inAxes [0]: value differs by 0.25 (relative)")
        #expect(r.out.hasSuffix("1 of 1 op samples FAILED\n"))
    }

    @Test func fallbackPassesButFailsWhenRulesAreRequired() {
        let r = nabla(["vmapcheck", "--op", "tooltest.tripling"], in: "/nonexistent")
        #expect(r.status == 0)
        #expect(row(r.out, "tooltest.tripling").prefix(5) == ["tooltest.tripling", "0", "[3]", "ok", "loop fallback (tooltest.tripling)"])
        #expect(r.out.hasSuffix("all 1 op samples passed (1 ops); 1 ran the loop fallback\n"))
        let strict = nabla(["vmapcheck", "--op", "tooltest.tripling", "--require-rules"], in: "/nonexistent")
        #expect(strict.status == 1)
        #expect(row(strict.out, "tooltest.tripling")[3] == "FAIL")
        #expect(strict.out.hasSuffix("1 of 1 op samples FAILED; 1 ran the loop fallback\n"))
    }

    @Test func everyBuiltinOpHasACorrectRule() {
        let names = OpRegistry.shared.names.filter { !$0.hasPrefix("tooltest.") }
        #expect(names.count > 30)
        let r = nabla(["vmapcheck", "--require-rules"] + names.flatMap { ["--op", $0] }, in: "/nonexistent")
        #expect(r.status == 0, "\(r.out)")
    }

    @Test func unknownOpIsBadInputAndListShowsUserOps() {
        let r = nabla(["vmapcheck", "--op", "no.such.op"], in: "/nonexistent")
        #expect(r.status == 2)
        #expect(r.err.contains("no op named \"no.such.op\" is registered"))
        let l = nabla(["vmapcheck", "--list"], in: "/nonexistent")
        #expect(l.out.split(separator: "\n").contains("tooltest.doubling"))
    }

    @Test func negativeToleranceIsBadInput() {
        let r = nabla(["vmapcheck", "--tolerance=-1"], in: "/nonexistent")
        #expect(r.status == 2)
        #expect(r.err.contains("--tolerance must be non-negative"))
    }
}
