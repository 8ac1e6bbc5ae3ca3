import Testing
import NablaTensor
import NablaAutograd

/// The engine's behaviour: accumulation, broadcasting, control flow, detaching, no-grad scopes,
/// anomaly detection, deep graphs. Expected values are by hand.
@Suite struct EngineTests {
    // A value used twice gets both contributions (micrograd's `+=`): d/dx (x·x + x) = 2x + 1.
    @Test func reuseAccumulates() {
        #expect(gradient(at: Tensor<Double>(3)) { x in x * x + x }.scalar == 7)
    }

    // Gradients of a broadcast operand are summed back to its shape (tinygrad's test: dx = [[4],[4],[4]]).
    @Test func broadcastGradientIsSummed() {
        let (gx, gy) = gradient(at: Tensor<Double>.ones([3, 1]), Tensor<Double>.ones([1, 4])) { x, y in (x + y).sum() }
        #expect(gx == Tensor<Double>(repeating: 4, shape: [3, 1]))
        #expect(gy == Tensor<Double>(repeating: 3, shape: [1, 4]))
        let g = gradient(at: Tensor<Double>([1, 2])) { b in (Variable(Tensor<Double>.ones([3, 2])) * b).sum() }
        #expect(g == Tensor<Double>([3, 3]))
    }

    // Torch-style leaves accumulate across calls until zeroed.
    @Test func leafGradientsAccumulateAcrossCalls() {
        let w = Variable(Tensor<Double>([1, 2]), requiresGradient: true)
        (w * w).sum().backward()
        #expect(w.gradient == Tensor<Double>([2, 4]))
        (w * 3).sum().backward()
        #expect(w.gradient == Tensor<Double>([5, 7]))
        w.zeroGradient()
        #expect(w.gradient == nil)
    }

    // Ordinary Swift control flow: a loop, a branch and recursion are just code that runs.
    @Test func controlFlow() {
        func power(_ x: Variable<Double>, _ n: Int) -> Variable<Double> { n == 0 ? x * 0 + 1 : x * power(x, n - 1) }
        #expect(gradient(at: Tensor<Double>(2)) { power($0, 4) }.scalar == 32)        // 4x³
        let g = gradient(at: Tensor<Double>(-2)) { x in
            var y = x
            for _ in 0..<3 { y = y.scalar > 0 ? y * 2 : y * y }                           // x² → 2x² → 4x²
            return y
        }
        #expect(g.scalar == -16)                                                           // 8x
    }

    // Detached values and no-grad scopes stop the derivative.
    @Test func detachAndNoGrad() {
        #expect(gradient(at: Tensor<Double>(3)) { x in x * x.detached() }.scalar == 3)
        #expect(gradient(at: Tensor<Double>(3)) { x in x * withoutDerivative { x * 2 } }.scalar == 6)
        #expect(gradient(at: Tensor<Double>(3)) { x in Variable(x.value) * 5 }.scalar == 0)
    }

    // Anomaly mode names the first op that produced a NaN or infinity.
    @Test func anomalyNamesTheOp() {
        #expect(throws: AutogradError.nonFiniteValue(op: "sqrt")) {   // exp, log give [1, −1]; sqrt(−1) is NaN
            try withAnomalyDetection { gradient(at: Tensor<Double>([1, -1])) { x in x.exp().log().sqrt().log().sum() } }
        }
        #expect(throws: AutogradError.nonFiniteValue(op: "backward of sqrt")) {
            try withAnomalyDetection { gradient(at: Tensor<Double>(0)) { $0.sqrt() } }
        }
    }

    // A chain of 100 000 ops differentiates without overflowing the stack (the sweep is iterative).
    @Test func deepChain() {
        let g = gradient(at: Tensor<Double>(1)) { x in
            var y = x
            for _ in 0..<100_000 { y = y + 1 }
            return y
        }
        #expect(g.scalar == 1)
    }

    // The gradient has the input's shape; an unused input gets zeros.
    @Test func shapesAndUnusedInputs() {
        let g = gradient(at: [Tensor<Double>.ones([2, 3]), Tensor<Double>.ones([4])]) { v in v[0].sum() }
        #expect(g[0] == Tensor<Double>.ones([2, 3]))
        #expect(g[1] == Tensor<Double>.zeros([4]))
    }

    // Auxiliary output is returned, not differentiated.
    @Test func auxiliaryOutput() {
        let (v, g, aux) = valueWithGradient(at: Tensor<Double>([1, 2])) { x in (x.squared().sum(), x.value.count) }
        #expect(v.scalar == 5 && g == Tensor<Double>([2, 4]) && aux == 2)
    }
}

@Suite struct JacobianTests {
    // f(x, y) = x·y (elementwise, both [2]): ∂f/∂x = diag(y), ∂f/∂y = diag(x), in both modes and
    // with a chunk size smaller than the number of directions.
    @Test func severalInputs() {
        let x = Tensor<Double>([1, 2]), y = Tensor<Double>([3, 5])
        for mode in [JacobianMode.forward, .reverse, .automatic] {
            let j = jacobian(at: [x, y], mode: mode, chunkSize: 1) { v in v[0] * v[1] }
            #expect(j[0] == Tensor([[3, 0], [0, 5]]))
            #expect(j[1] == Tensor([[1, 0], [0, 2]]))
        }
    }
}

@Suite struct FloatTests {
    // The same function in Float and Double: gradients agree to Float precision (relative 1e-5;
    // Float's ulp is 1.2e-7 and the chain has ~10 ops), and the Float Hessian of the issue's
    // example is exact (small integers).
    @Test func floatMatchesDouble() {
        let fd: (Variable<Double>) -> Variable<Double> = { x in (x.tanh() * x.exp() + x.sin()).sum() }
        let ff: (Variable<Float>) -> Variable<Float> = { x in (x.tanh() * x.exp() + x.sin()).sum() }
        let gd = gradient(at: Tensor<Double>([0.3, -1.2, 0.8]), of: fd)
        let gf = gradient(at: Tensor<Float>([0.3, -1.2, 0.8]), of: ff)
        for (a, b) in zip(gf.scalars, gd.scalars) { #expect(abs(Double(a) - b) <= 1e-5 * Swift.max(1, abs(b))) }
        let h = hessian(at: Tensor<Float>([1, 2])) { x in x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6) }
        #expect(h == Tensor<Float>([[6, -2], [-2, -480]]))
    }
}
