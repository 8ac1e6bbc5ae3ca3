import Testing
import NablaTensor
import NablaAutograd
@testable import NablaTools

/// x³ with a correct VJP/JVP: a user op the tool must find in the registry and pass.
struct ToolTestCube: DifferentiableOperator {
    var name: String { "tooltest.cube" }
    var samples: [[Tensor<Double>]] { [[[0.5, -1.5]]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * x[0] * x[0] }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] {
        [ct * x[0].squared() * 3]
    }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> {
        t[0]! * x[0].squared() * 3
    }
}

/// x³ with a wrong derivative (2x² instead of 3x²): the tool must fail it and say where.
struct ToolTestBrokenCube: DifferentiableOperator {
    var name: String { "tooltest.brokencube" }
    var samples: [[Tensor<Double>]] { [[[2.0]]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * x[0] * x[0] }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] {
        [ct * x[0].squared() * 2]
    }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> {
        t[0]! * x[0].squared() * 2
    }
}

@Suite("nabla gradcheck")
struct GradcheckCommandTests {
    init() {
        OpRegistry.shared.register(ToolTestCube())
        OpRegistry.shared.register(ToolTestBrokenCube())
    }

    @Test func userRegisteredOpPasses() {
        let r = nabla(["gradcheck", "--op", "tooltest.cube"], in: "/nonexistent")
        #expect(r.status == 0)
        #expect(r.out.contains("tooltest.cube"))
        #expect(r.out.hasSuffix("all 1 op samples passed (1 ops)\n"))
    }

    @Test func wrongDerivativeFailsAndSaysWhere() {
        // d/dx x³ at 2 is 12; the broken rule gives 2·2² = 8. The numerical value is 12 to about 1e-9.
        let r = nabla(["gradcheck", "--op", "tooltest.brokencube", "--first-order-only"], in: "/nonexistent")
        #expect(r.status == 1)
        let row = r.out.split(separator: "\n").first { $0.hasPrefix("tooltest.brokencube") }.map(String.init) ?? ""
        #expect(row.contains("FAIL"))
        #expect(row.contains("∂out[0]/∂in0[0]"))
        // |8 − 12| / (atol + rtol·12) = 4 / 0.01201 = 333.056 (6 significant digits).
        let fields = row.split(separator: " ").map(String.init)
        #expect(Array(fields.suffix(2)) == ["12", "8"])
        #expect(fields.contains("333.056"))
        #expect(r.out.hasSuffix("1 of 1 op samples FAILED\n"))
    }

    @Test func everyBuiltinOpPassesFirstOrder() {
        let names = OpRegistry.shared.names.filter { !$0.hasPrefix("tooltest.") }
        #expect(names.count > 30)
        let r = nabla(["gradcheck", "--first-order-only"] + names.flatMap { ["--op", $0] }, in: "/nonexistent")
        #expect(r.status == 0, "\(r.out)")
    }

    @Test func unknownOpIsBadInput() {
        let r = nabla(["gradcheck", "--op", "no.such.op"], in: "/nonexistent")
        #expect(r.status == 2)
        #expect(r.err.contains("no op named \"no.such.op\" is registered"))
    }

    @Test func listShowsRegisteredNames() {
        let r = nabla(["gradcheck", "--list"], in: "/nonexistent")
        #expect(r.status == 0)
        #expect(r.out.split(separator: "\n").contains("mul"))
        #expect(r.out.split(separator: "\n").contains("tooltest.cube"))
    }
}
