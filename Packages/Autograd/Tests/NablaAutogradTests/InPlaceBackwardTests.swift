import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// The first-order sweep writes cotangents into buffers it was handed (elementwise VJPs, a
/// product's ā, a sum's ā) and adds into pending cotangents in place; ops skip the task-local
/// context while no `withoutDerivative`/anomaly scope exists. These check that values and
/// gradients stay right where buffers are shared (a value used twice, `x * x`, `x + x`, a
/// difference, an intermediate the caller keeps) and that a scope's setting survives in an
/// unstructured task that outlives it. References: PyTorch 2.15, float64
/// (`python3 /tmp/chain_ref.py`, reproduced in the comments below).
@Suite struct InPlaceBackwardTests {
    // torch: x, w = [0.5, -1.2, 2.0, 0.3], [1.5, 0.7, -0.4, 2.2] (requires_grad); u = x * w;
    // f = (sin(u) * u + tanh(x + w) * x - (x - w) * (x - w) + cos(x * x) + (x + x) * w).sum();
    // torch.autograd.grad(f, [x, w]).
    @Test func sharedValuesAndSharedOperands() {
        let x = Tensor<Double>([0.5, -1.2, 2.0, 0.3]), w = Tensor<Double>([1.5, 0.7, -0.4, 2.2])
        var kept: Variable<Double>? = nil
        let (gx, gw) = gradient(at: x, w) { x, w in
            let u = x * w
            kept = u
            return ((u.sin() * u) + (x + w).tanh() * x - (x - w) * (x - w) + (x * x).cos() + (x + x) * w).sum()
        }
        #expect(allClose(gx, Tensor<Double>([7.597557150765925, 5.259927273266634, -0.8401787293743426, 11.636590631113302]),
                         rtol: 1e-12, atol: 1e-12))
        #expect(allClose(gw, Tensor<Double>([-0.34947188173406785, -5.577363007146042, 6.551611234882061, -2.8516688145665436]),
                         rtol: 1e-12, atol: 1e-12))
        // The intermediate the caller kept still holds x·w (no cotangent was written over it).
        #expect(kept!.value == x * w)
        #expect(x == Tensor<Double>([0.5, -1.2, 2.0, 0.3]))
    }

    // The benchmark's chain (×W, +B, tanh, sin, cycling) for 32 ops on 2×2; torch:
    // y = X; for i in range(32): y = y*W | y+B | tanh(y) | sin(y); torch.autograd.grad(y.sum(), [X, W, B]).
    @Test func chainOfElementwiseOps() {
        let x = Tensor<Double>([[0.3, -0.8], [1.1, 0.4]]), w = Tensor<Double>([[0.9, -0.5], [0.2, 1.3]])
        let b = Tensor<Double>([[0.1, 0.05], [-0.2, 0.3]])
        let g = gradient(at: [x, w, b]) { v in
            var y = v[0]
            for i in 0..<32 {
                switch i % 4 {
                case 0: y = y * v[1]
                case 1: y = y + v[2]
                case 2: y = y.tanh()
                default: y = y.sin()
                }
            }
            return y.sum()
        }
        let expected: [[Double]] = [
            [0.04033004448480093, 0.0027341588134791412, 1.4131695102826712e-06, 2.6069422246932298e-05],
            [0.8321316938719339, 0.06641897123060143, -0.268953332415188, 0.16946294104239892],
            [1.9585531955493762, 0.6662914319970943, 1.117228442279411, 0.22419143682711884]]
        for k in 0..<3 {
            #expect(allClose(g[k], Tensor<Double>(shape: [2, 2], scalars: expected[k]), rtol: 1e-12, atol: 1e-15))
        }
    }

    // The same gradient twice through one pullback: the first sweep must not consume buffers the
    // graph still needs (d/dx sum(sin(x)·x) = cos(x)·x + sin(x), here at x = 0.5 and 2).
    @Test func pullbackTwice() {
        let (_, pb) = valueWithPullback(at: Tensor<Double>([0.5, 2])) { x in x.sin() * x }
        let expected = Tensor<Double>([Double.cos(0.5) * 0.5 + Double.sin(0.5), Double.cos(2) * 2 + Double.sin(2)])
        let ones = Tensor<Double>.ones([2])
        #expect(allClose(pb(ones), expected, rtol: 1e-15, atol: 1e-15))
        #expect(allClose(pb(ones), expected, rtol: 1e-15, atol: 1e-15))
        #expect(ones == Tensor<Double>.ones([2]))
    }

    // An unstructured task created inside `withoutDerivative` inherits the scope's context and
    // outlives the scope: its ops must still not record after the scope has returned.
    @Test func noRecordingScopeOutlivedByATask() async {
        let x = Variable(Tensor<Double>([1, 2]), requiresGradient: true)
        let task = withoutDerivative {
            Task {
                try? await Task.sleep(nanoseconds: 20_000_000)
                return (x * x).isDifferentiable
            }
        }
        #expect(await task.value == false)
        #expect((x * x).isDifferentiable)
        #expect(withoutDerivative { (x * x).isDifferentiable } == false)
    }
}
