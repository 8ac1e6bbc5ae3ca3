import Foundation
import Testing
import Nabla

/// The code samples of docs/tensor.md and README.md, run with their results checked, so the guides
/// cannot drift from the API.
@Suite("Guide examples")
struct GuideExamplesTests {
    @Test func tensorGuideIndexing() {
        let t = Tensor<Double>.arange(0, 24).reshaped(2, 3, 4)
        #expect(t[1].shape == [3, 4])
        #expect(t[1].scalars.first == 12)
        // numpy: np.arange(24).reshape(2,3,4)[0, 1:3] = [[4..7], [8..11]]
        #expect(t[0, 1..<3].scalars == Array(4...11).map(Double.init))
        // t[..., ::-1][0, 0] = [3, 2, 1, 0]
        #expect(t[.ellipsis, TensorIndex.stride(by: -1)][0, 0].scalars == [3, 2, 1, 0])
        #expect(t[.all, .newAxis, 0].shape == [2, 1, 4])
        var u = t
        u[0, .all, 0] = Tensor<Double>.zeros([3])
        #expect(u[0, .all, 0].scalars == [0, 0, 0])
        #expect(t[0, .all, 0].scalars == [0, 4, 8])
    }

    @Test func tensorGuideCopyOnWrite() {
        let a: Tensor<Double> = [[1, 2], [3, 4]]
        var b = a.transposed()
        b[element: 0, 1] = 30
        #expect(b.scalars == [1, 30, 2, 4])
        #expect(a.scalars == [1, 2, 3, 4])
    }

    @Test func readmeTaste() {
        let A: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
        #expect((A + Tensor<Double>([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect(A.sum(axis: 0).scalars == [5, 7, 9])
        #expect(A.transposed().matmul(A).scalars == [17, 22, 27, 22, 29, 36, 27, 36, 45])
        var rng = PhiloxGenerator(seed: 42)
        let z = Tensor<Float>.randomNormal([3, 4], using: &rng)
        #expect(z.logSumExp(axis: 1).shape == [3])

        let (f, (da, db)) = valueWithGradient(at: Tensor<Double>(2), Tensor<Double>(3)) { a, b in (a * b).log() }
        #expect(f.scalar == 1.791759469228055)        // log 6 (Python: math.log(6))
        #expect(da.scalar == 0.5 && db.scalar == 1.0 / 3.0)
        let H = hessian(at: Tensor<Double>([1, 2])) { x in x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6) }
        #expect(H.scalars == [6, -2, -2, -480])   // hand calculation: [[6x0, −2], [−2, −30x1⁴]]
    }

    @Test func readmeCheckpoint() throws {
        let W: Tensor<Double> = [[1, 2, 3], [-1, 0, 1]]
        var checkpoint = Checkpoint()
        checkpoint.set("layers.0.weight", W.converted(to: Float.self))
        let path = NSTemporaryDirectory() + "nabla-readme-\(getpid()).nabla"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try checkpoint.save(to: path)
        let back = try Checkpoint(contentsOf: path)
        #expect(try back.tensor("layers.0.weight", as: Float.self) == W.converted(to: Float.self))
    }
}

/// The examples of the DocC articles, run as written.
@Suite("DocC article examples")
struct ArticleExamplesTests {
    /// NablaAutograd.docc/TrainingWithParameters.md: logistic regression by hand with parameters.
    @Test func trainingWithParameters() {
        let X: Tensor<Double> = [[0.5, 1.0], [1.5, -0.5], [-1.0, -1.5], [-0.5, 0.5]]
        let y: Tensor<Double> = [1, 1, 0, 0]
        let w = Parameter(Tensor<Double>.zeros([2]))
        let b = Parameter(Tensor<Double>(0))
        func loss() -> Variable<Double> {
            let p = (Variable(X).matmul(w.variable) + b.variable).sigmoid()
            let t = Variable(y)
            return -(t * p.log() + (1 - t) * (1 - p).log()).sum()
        }
        // At w = 0, b = 0: p = ½ everywhere, L = 4 ln 2, ∂L/∂w = Xᵀ(p − y) = [-1.75, -0.75], ∂L/∂b = 0.
        let first = loss()
        #expect(abs(first.scalar - 4 * 0.6931471805599453) < 1e-15)
        first.backward()
        #expect(w.gradient?.scalars == [-1.75, -0.75])
        #expect(b.gradient?.scalar == 0)
        w.zeroGradient(); b.zeroGradient()
        var last = first.scalar
        for _ in 0..<100 {
            let l = loss()
            #expect(l.scalar <= last + 1e-12)      // gradient descent on a convex loss never goes up here
            last = l.scalar
            l.backward()
            for parameter in [w, b] {
                parameter.value = parameter.value - 0.1 * parameter.gradient!
                parameter.zeroGradient()
            }
        }
        // The data are separable: the loss keeps falling and every sample is classified right.
        #expect(last < 0.3)
        let p = (X.matmul(w.value) + b.value).sigmoid()
        #expect(p.scalars.map { $0 > 0.5 } == [true, true, false, false])
    }
}

/// NablaOptimizers.docc/FittingWithAnOptimizer.md, run as written.
@Suite("Optimizer article example")
struct OptimizerArticleTests {
    @Test func fittingALineWithAdamAScheduleAndClipping() throws {
        let x = Tensor<Double>([0, 1, 2, 3, 4])
        let y = Tensor<Double>([1, 3, 5, 7, 9])              // y = 2x + 1
        let w = Parameter(Tensor<Double>(0)), b = Parameter(Tensor<Double>(0))
        let optimizer = try Adam([w, b], learningRate: 0.1)
        let schedule = try SequentialLR(optimizer, schedulers: [
            try LinearLR(optimizer, startFactor: 0.1, totalIterations: 20),
            try CosineAnnealingLR(optimizer, period: 480),
        ], milestones: [20])
        for _ in 0..<500 {
            optimizer.zeroGradients()
            let residual = w.variable * Variable(x) + b.variable - Variable(y)
            (residual * residual).mean().backward()
            clipGradientNorm([w, b], maxNorm: 10)
            optimizer.step()
            schedule.step()
        }
        // The least-squares line through these points is exactly y = 2x + 1.
        #expect(abs(w.value.scalar - 2) < 1e-3)
        #expect(abs(b.value.scalar - 1) < 1e-3)
    }
}
