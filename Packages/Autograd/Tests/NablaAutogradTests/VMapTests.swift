import Testing
import NablaTensor
import NablaAutograd

/// A user op with a correct batching rule (`2x`, applied to the whole batch at once).
struct Doubling: DifferentiableOperator {
    var name: String { "test.doubling" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([[0.5, -1.5, 2], [1, 2, 3]])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * 2 }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] { [ct * 2] }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * 2 }
    func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> { Variable.applying(self, inputs) }
}

/// The same op with a deliberately broken batching rule: it mixes batch elements (each element
/// gets the batch mean), which `checkBatching` must catch.
struct BrokenDoubling: DifferentiableOperator {
    var name: String { "test.brokenDoubling" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([[0.5, -1.5, 2], [1, 2, 3]])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * 2 }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] { [ct * 2] }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * 2 }
    func batched<S: TensorFloatingPoint>(_ inputs: [Variable<S>], batched: [Bool]) -> Variable<S> {
        let x = inputs[0]
        return x.mean(axes: [0], keepingDims: true).expanded(to: x.shape) * 2
    }
}

/// A user op without a rule: the loop fallback (correct).
struct Tripling: DifferentiableOperator {
    var name: String { "test.tripling" }
    var samples: [[Tensor<Double>]] { [[Tensor<Double>([0.5, -1.5, 2])]] }
    func forward<S: TensorFloatingPoint>(_ x: [Tensor<S>]) -> Tensor<S> { x[0] * 3 }
    func vjp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ ct: Variable<S>, needed: [Bool]) -> [Variable<S>?] { [ct * 3] }
    func jvp<S: TensorFloatingPoint>(_ x: [Variable<S>], _ y: Variable<S>, _ t: [Variable<S>?]) -> Variable<S> { t[0]! * 3 }
}

@Suite struct VMapTests {
    @Test func everyRegisteredOpBatchesLikeALoopWithoutTheFallback() {
        var failures: [String] = []
        // "tooltest." ops are NablaToolsTests' (same test process), one of them deliberately broken.
        for op in OpRegistry.shared.all where !op.name.hasPrefix("tooltest.") {
            for sample in op.samples {
                let report = batchingReport(of: op, at: sample)
                failures += report.failures
                if !report.fallbackOps.isEmpty { failures.append("\(op.name): loop fallback for \(report.fallbackOps)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func userRulesAreCheckedAndABrokenRuleFails() {
        #expect(checkBatching(of: Doubling(), at: Doubling().samples[0]).isEmpty)
        #expect(checkBatching(of: Tripling(), at: Tripling().samples[0]).isEmpty)
        #expect(vmapFallbackOps.contains("test.tripling"))
        let broken = checkBatching(of: BrokenDoubling(), at: BrokenDoubling().samples[0])
        #expect(!broken.isEmpty)
        #expect(broken.contains { $0.contains("test.brokenDoubling") && $0.contains("value") })
    }

    @Test func exactValuesInAxesAndOutAxes() {
        let m = Tensor<Double>([[1, 2, 3], [4, 5, 6]])
        // Row sums, column sums (batch on axis 1), and an unbatched second input.
        #expect(vmap(at: m) { $0.sum() }.scalars == [6, 15])
        #expect(vmap(at: m, inAxes: 1) { $0.sum() }.scalars == [5, 7, 9])
        let f = vmap({ (x: Variable<Double>, w: Variable<Double>) in x * w }, inAxes: (0, nil), outAxes: 1)
        let r = f(Variable(m), Variable(Tensor<Double>([1, 10, 100])))
        #expect(r.shape == [3, 2])
        #expect(r.value.scalars == [1, 4, 20, 50, 300, 600])
        // Several outputs, one of which does not depend on the batch (copied along it).
        let outs = vmap({ v in [v[0].max(), Variable(Tensor<Double>(7))] }, inAxes: [0])([Variable(m)])
        #expect(outs[0].value.scalars == [3, 6])
        #expect(outs[1].value.scalars == [7, 7])
        // Matmul: per-row vector-matrix products.
        let w = Tensor<Double>([[1, 0], [0, 1], [1, 1]])
        #expect(vmap(at: m) { $0.matmul(Variable(w)) }.scalars == [4, 5, 10, 11])
    }

    @Test func nestedVMapIsAnOuterProduct() {
        let a = Variable(Tensor<Double>([1, 2, 3])), b = Variable(Tensor<Double>([10, 20]))
        let outer = vmap({ (x: Variable<Double>, _: Variable<Double>) in
            vmap({ (y: Variable<Double>, x: Variable<Double>) in x * y }, inAxes: (0, nil))(b, x)
        }, inAxes: (0, nil))(a, b)
        #expect(outer.shape == [3, 2])
        #expect(outer.value.scalars == [10, 20, 20, 40, 30, 60])
        // Three levels, the inner ones batching the innermost axes: sum of x[i, j, :] · 2.
        let x = Tensor<Double>(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))
        let r = vmap(at: x) { v in vmap({ (w: Variable<Double>) in vmap({ (s: Variable<Double>) in s * 2 })(w).sum() })(v) }
        #expect(r.shape == [2, 3])
        #expect(r.scalars == [12, 44, 76, 108, 140, 172])
    }

    @Test func gradientOfVMapAndVMapOfGradient() {
        // grad of vmap: d/dx Σᵢ (xᵢ²)·cᵢ = 2xᵢcᵢ.
        let x = Tensor<Double>([1, 2, 3])
        let g = gradient(at: x) { x in (vmap({ $0.squared() })(x) * Variable(Tensor<Double>([1, 10, 100]))).sum() }
        #expect(g.scalars == [2, 40, 600])
        // vmap of grad: per-row gradients of Σ x³ = 3x², and of w·x w.r.t. an unbatched w (= each row).
        let m = Tensor<Double>([[1, 2], [3, 4]])
        let perRow = vmap(at: m) { r in gradient(at: r) { ($0 * $0 * $0).sum() } }
        #expect(perRow.scalars == [3, 12, 27, 48])
        let w = Variable(Tensor<Double>([5, 7]))
        let perRowW = vmap({ r in gradient(at: w) { w in (w * r * r).sum() } })(Variable(m))
        #expect(perRowW.value.scalars == [1, 4, 9, 16])
        // grad of vmap of grad: Σᵢ ∂/∂xᵢ (xᵢ³) = Σ 3xᵢ², whose gradient is 6x.
        let gg = gradient(at: x) { x in vmap({ x in gradient(at: x) { $0 * $0 * $0 } })(x).sum() }
        #expect(gg.scalars == [6, 12, 18])
    }

    @Test func vmapOfJVP() {
        // d/dt sin(x + t·v) at t = 0 is cos(x)·v, per row, with batched primals and tangents.
        let xs = Tensor<Double>([0, 1, 2]), vs = Tensor<Double>([1, 2, 3])
        let t = vmap({ (x: Variable<Double>, v: Variable<Double>) in jvp(at: x, tangent: v) { $0 * $0 * $0 }.tangent })(Variable(xs), Variable(vs))
        #expect(t.value.scalars == [0, 6, 36])
        // Batched tangents only (a Jacobian's columns): f(x) = [x₀x₁, x₀ + x₁] at (2, 3).
        let x = Variable(Tensor<Double>([2, 3]))
        let cols = vmap({ (v: Variable<Double>) in
            jvp(at: x, tangent: v) { x in stack([x[0] * x[1], x[0] + x[1]]) }.tangent
        })(Variable(Tensor<Double>([[1, 0], [0, 1]])))
        #expect(cols.value.scalars == [3, 1, 2, 1])
    }

    /// Per-sample gradients of a 2-layer MLP at batch 64, in Double, against the loop over samples.
    @Test func perSampleGradientsOfAnMLP() {
        let batch = 64
        let xs = Tensor<Double>.randomNormal([batch, 8], seed: 1), ys = Tensor<Double>.randomNormal([batch, 3], seed: 2)
        let w1 = Tensor<Double>.randomNormal([8, 16], seed: 3) * 0.3, b1 = Tensor<Double>.randomNormal([16], seed: 4) * 0.1
        let w2 = Tensor<Double>.randomNormal([16, 3], seed: 5) * 0.3, b2 = Tensor<Double>.randomNormal([3], seed: 6) * 0.1
        func loss(_ p: [Variable<Double>], _ x: Variable<Double>, _ y: Variable<Double>) -> Variable<Double> {
            let h = (x.matmul(p[0]) + p[1]).tanh()
            return (h.matmul(p[2]) + p[3] - y).squared().mean()
        }
        let params = [w1, b1, w2, b2].map { Variable($0) }
        let perSample = vmap({ v in gradient(at: params) { loss($0, v[0], v[1]) } }, inAxes: [0, 0])([Variable(xs), Variable(ys)])
        for (k, p) in [w1, b1, w2, b2].enumerated() { #expect(perSample[k].shape == [batch] + p.shape) }
        var worst = 0.0
        for i in 0..<batch {
            let g = gradient(at: [w1, b1, w2, b2]) { loss($0, Variable(xs[i]), Variable(ys[i])) }
            for k in 0..<4 {
                for (a, b) in zip(perSample[k].value[i].scalars, g[k].scalars) { worst = Swift.max(worst, Swift.abs(a - b)) }
            }
        }
        #expect(worst <= 1e-12)
    }

    @Test func jacobianAndHessianInOneBatchedPass() {
        let x = Tensor<Double>([0.5, -1, 2])
        func f(_ x: Variable<Double>) -> Variable<Double> { stack([x[0] * x[1], x[1].sin() * x[2], x[0].exp()]) }
        let expected: [Double] = [-1, 0.5, 0, 0, 2 * Double.cos(-1), Double.sin(-1), Double.exp(0.5), 0, 0]
        for mode in [JacobianMode.forward, .reverse] {
            let j = jacobian(at: x, mode: mode, of: f)
            for (a, b) in zip(j.scalars, expected) { #expect(Swift.abs(a - b) < 1e-14) }
            let chunked = jacobian(at: x, mode: mode, chunkSize: 2, of: f)
            #expect(chunked.scalars == j.scalars)
        }
        // f = x₀³ − 2x₀x₁ − x₁⁶ at (1, 2): [[6, −2], [−2, −480]] in every mode.
        let h: (Variable<Double>) -> Variable<Double> = { x in x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6) }
        for mode in [HessianMode.forwardOverReverse, .reverseOverReverse] {
            #expect(hessian(at: [1, 2], mode: mode, of: h).scalars == [6, -2, -2, -480])
        }
        let hv = hessianVectorProducts(at: [1, 2], vectors: Tensor<Double>([[1, 0], [0, 1], [1, 1]]), of: h)
        #expect(hv.scalars == [6, -2, -2, -480, 4, -482])
        // Variable-level Jacobians (forward mode runs under vmap) inside gradient: Σ J = Σ ∂f/∂x.
        let jf = jacobian(at: Variable(x), mode: .forward, of: f)
        for (a, b) in zip(jf.value.scalars, expected) { #expect(Swift.abs(a - b) < 1e-14) }
    }

    @Test func vmapOfHessian() {
        // Per-row Hessians of Σ xᵢ³: diag(6x).
        let m = Variable(Tensor<Double>([[1, 2], [3, 4]]))
        let hs = vmap({ (r: Variable<Double>) in jacobian(at: r) { r in gradient(at: r) { ($0 * $0 * $0).sum() } } })(m)
        #expect(hs.shape == [2, 2, 2])
        #expect(hs.value.scalars == [6, 0, 0, 12, 18, 0, 0, 24])
    }

    /// The matmul paths batching relies on: a batch against one shared matrix (a plain matrix, or batch
    /// axes of stride 0) is one GEMM, and a batch of outer products is written directly. Integer
    /// entries, so every path is exact; products worked by hand (and with numpy.matmul).
    @Test func matmulWithASharedMatrixAndOuterProducts() {
        let m = Tensor<Double>([[1, 2], [3, 4]])
        let bs = Tensor<Double>(shape: [2, 2, 2], scalars: [1, 0, 0, 1, 2, 1, 1, 3])
        // Shared left matrix, plain and broadcast with stride 0: m·b₀ = m, m·b₁ = [[4, 7], [10, 15]].
        let left = MatMul().forward(m, bs)
        #expect(left.shape == [2, 2, 2] && left.scalars == [1, 2, 3, 4, 4, 7, 10, 15])
        let shared = m.unsqueezed(axis: 0).expanded(to: [2, 2, 2])
        #expect(shared.strides[0] == 0)
        #expect(MatMul().forward(shared, bs).scalars == left.scalars)
        // Shared right matrix with stride 0: [1 2]·m = [7 10], [3 4]·m = [15 22].
        let rows = Tensor<Double>(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
        let right = MatMul().forward(rows, shared)
        #expect(right.shape == [2, 1, 2] && right.scalars == [7, 10, 15, 22])
        // Outer products (inner dimension 1), batch of 2.
        let columns = Tensor<Double>(shape: [2, 2, 1], scalars: [1, 2, 3, 4])
        let rowVectors = Tensor<Double>(shape: [2, 1, 3], scalars: [1, 2, 3, -1, 0, 1])
        let outer = MatMul().forward(columns, rowVectors)
        #expect(outer.shape == [2, 2, 3] && outer.scalars == [1, 2, 3, 2, 4, 6, -3, 0, 3, -4, 0, 4])
        // The same through vmap (the batching rule reaches the shared-matrix path) in Float.
        let f = vmap(at: Tensor<Float>(shape: [2, 2, 2], scalars: [1, 0, 0, 1, 2, 1, 1, 3])) {
            Variable(Tensor<Float>([[1, 2], [3, 4]])).matmul($0)
        }
        #expect(f.scalars == [1, 2, 3, 4, 4, 7, 10, 15])
    }
}
