import Testing
import NablaTensor
import NablaAutograd

/// A custom op as a user would write one: forward, VJP and JVP together, plus samples.
struct Cube: DifferentiableOperator {
    var name: String { "test.cube" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([0.5, -1.5, 2])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * x[0] * x[0] }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] {
        [ct * x[0].squared() * 3]
    }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> {
        t[0]! * x[0].squared() * 3
    }
}

/// A custom op with a wrong VJP (2x² instead of 3x²), which the check must catch.
struct BrokenCube: DifferentiableOperator {
    var name: String { "test.brokenCube" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([0.5, -1.5, 2])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * x[0] * x[0] }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] {
        [ct * x[0].squared() * 2]
    }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> {
        t[0]! * x[0].squared() * 3
    }
}

@Suite struct GradcheckTests {
    // Every registered op passes first- and second-order checks at torch's default tolerances in Double.
    @Test(arguments: OpRegistry.shared.names)
    func registeredOpPasses(_ name: String) throws {
        let op = try OpRegistry.shared.op(named: name)
        #expect(!op.samples.isEmpty)
        for report in checkGradients(of: op) {
            #expect(report.passed, "\(name): \(report)")
            #expect(report.comparisons > 0)
        }
    }

    // A user-registered op is found by name and checked like the built-ins.
    @Test func customOpRegistersAndPasses() throws {
        let registry = OpRegistry(builtinOps)
        registry.register(Cube())
        let op = try registry.op(named: "test.cube")
        #expect(registry.names.last == "test.cube")
        let report = checkGradients(of: { op.apply($0) }, at: op.samples[0])
        #expect(report.passed, "\(report)")
        // d/dx x³ = 3x² = 6.75 at x = 1.5 (and the op composes with built-ins).
        #expect(gradient(at: Tensor<Double>([1.5])) { Variable.applying(Cube(), [$0]).sum() } == Tensor<Double>([6.75]))
    }

    // A wrong rule fails, and the report names the worst entry with both values:
    // at x = 2, the VJP gives 2·4 = 8 against the true 12 (the largest error of the three entries).
    @Test func brokenRuleIsReported() {
        let op = BrokenCube()
        let report = checkGradients(of: { op.apply($0) }, at: op.samples[0], checkSecondOrder: false)
        #expect(!report.passed)
        let worst = try! #require(report.worst)
        #expect(worst.mode == "reverse" && worst.inputIndex == [2] && worst.outputIndex == [2])
        #expect(worst.analytical == 8)
        #expect(abs(worst.numerical - 12) < 1e-6)   // central difference of x³: error ε² = 1e-12
        #expect(report.description.contains("FAILED"))
    }

    // Programming errors stop with a message: a gradient of a non-scalar output, a mismatched tangent.
    @Test func misuseStops() async {
        await #expect(processExitsWith: .failure) {
            _ = gradient(at: Tensor<Double>([1, 2])) { $0 * 2 }
        }
        await #expect(processExitsWith: .failure) {
            _ = jvp(at: Tensor<Double>([1, 2]), tangent: Tensor<Double>([1])) { $0 * 2 }
        }
    }

    // Looking up an unknown op throws an error naming it.
    @Test func unknownOpThrows() {
        #expect(throws: AutogradError.unknownOp("nope")) { try OpRegistry.shared.op(named: "nope") }
        #expect(AutogradError.unknownOp("nope").description == "OpRegistry: no op named \"nope\" is registered")
    }
}
