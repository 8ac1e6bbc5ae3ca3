import Foundation
import Testing
import NablaAutograd
import _NablaTestSupport
@testable import NablaOptimizers

/// Clipping, accumulation, state dictionaries, errors and L-BFGS; PyTorch values from
/// scripts/optimizer-reference.py.
@Suite("Training utilities")
struct UtilityTests {
    func gradients() -> [Parameter<Double>] {
        let a = Parameter(Tensor<Double>([0, 0])), b = Parameter(Tensor<Double>(shape: [2, 2], scalars: [0, 0, 0, 0]))
        a.gradient = Tensor([3, -4])
        b.gradient = Tensor(shape: [2, 2], scalars: [1, 2, -2, 0.5])
        return [a, b]
    }

    func clip(_ maxNorm: Double, _ p: Double) -> [Double] {
        let ps = gradients()
        let total = clipGradientNorm(ps, maxNorm: maxNorm, normType: p)
        return [total] + ps[0].gradient!.scalars + ps[1].gradient!.scalars
    }

    @Test func clipByNormMatchesPyTorch() {
        // torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type)
        expectClose(clip(1, 2), [5.852349955359813, 0.5126145070388306, -0.6834860093851075, 0.17087150234627688, 0.34174300469255375, -0.34174300469255375, 0.08543575117313844], rtol: 1e-15)
        expectClose(clip(2, .infinity), [4.0, 1.4999996250000938, -1.999999500000125, 0.49999987500003124, 0.9999997500000625, -0.9999997500000625, 0.24999993750001562], rtol: 1e-15)
        expectClose(clip(100, 1), [12.5, 3.0, -4.0, 1.0, 2.0, -2.0, 0.5], rtol: 1e-15)
        expectClose(clip(1, 3), [4.7640397172728965, 0.6297175398024946, -0.839623386403326, 0.2099058466008315, 0.419811693201663, -0.419811693201663, 0.10495292330041575], rtol: 1e-14)
    }

    @Test func clipByValue() {
        let ps = gradients()
        clipGradientValue(ps, clipValue: 1.5)
        #expect(ps[0].gradient!.scalars == [1.5, -1.5])
        #expect(ps[1].gradient!.scalars == [1, 1.5, -1.5, 0.5])
    }

    @Test func accumulatingMicroBatchesEqualsOneBatch() throws {
        // loss(batch) = mean over the batch of (w·x − y)²; two half-batches accumulated and scaled
        // by 1/2 give the full batch's gradient, so the optimizer takes the same step.
        let xs: [Double] = [1, 2, 3, 4], ys: [Double] = [2, 3, 5, 9]
        func loss(_ w: Parameter<Double>, _ idx: Range<Int>) -> Variable<Double> {
            let x = Variable(Tensor(Array(xs[idx]))), y = Variable(Tensor(Array(ys[idx])))
            let r = w.variable * x - y
            return (r * r).mean()
        }
        let full = Parameter(Tensor<Double>([0.5])), split = Parameter(Tensor<Double>([0.5]))
        let a = try SGD([full], learningRate: 0.01), b = try SGD([split], learningRate: 0.01)
        loss(full, 0..<4).backward()
        a.step()
        for half in [0..<2, 2..<4] { loss(split, half).backward() }
        scaleGradients([split], by: 1.0 / 2)
        b.step()
        #expect(abs(full.value.scalar - split.value.scalar) < 1e-15)
    }

    @Test func stateDictionaryRoundTrip() throws {
        let p = Parameter(Tensor<Double>([1, -2, 0.5])), q = Parameter(Tensor<Double>([3]))
        let adam = try Adam(groups: [ParameterGroup([p], learningRate: 0.1), ParameterGroup([q])], learningRate: 0.01, amsgrad: true)
        for _ in 0..<3 {
            adam.zeroGradients()
            ((p.variable * p.variable).sum() + (q.variable * q.variable).sum()).backward()
            adam.step()
        }
        let dict = adam.stateDictionary()
        #expect(dict.tensors["state.0.step"]?.scalar == 3)
        #expect(dict.tensors["state.1.exp_avg"]?.shape == [1])
        #expect(dict.hyperparameters["param_groups.0.lr"] == 0.1)
        #expect(dict.hyperparameters["param_groups.1.lr"] == 0.01)
        #expect(dict.hyperparameters["param_groups.1.params.0"] == 1)
        #expect(dict.hyperparameters["param_groups.0.betas.1"] == 0.999)

        // A fresh optimizer over copies of the parameters continues exactly like the original.
        let p2 = Parameter(p.value), q2 = Parameter(q.value)
        let resumed = try Adam(groups: [ParameterGroup([p2]), ParameterGroup([q2])])
        try resumed.load(stateDictionary: dict)
        #expect(resumed.parameterGroups[0].learningRate == 0.1)
        for (params, opt) in [([p, q], adam as Adam<Double>), ([p2, q2], resumed)] {
            opt.zeroGradients()
            ((params[0].variable * params[0].variable).sum() + (params[1].variable * params[1].variable).sum()).backward()
            opt.step()
        }
        #expect(p.value.scalars == p2.value.scalars)
        #expect(q.value.scalars == q2.value.scalars)

        let wrong = try Adam([Parameter(Tensor<Double>([1]))])
        #expect(throws: OptimizerError.self) { try wrong.load(stateDictionary: dict) }
    }

    @Test func invalidHyperparametersThrowNamedErrors() {
        let ps = [Parameter(Tensor<Double>([1]))]
        #expect(throws: OptimizerError.invalidHyperparameter(name: "lr", value: -0.1)) { try SGD(ps, learningRate: -0.1) }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "betas.1", value: 1)) { try Adam(ps, betas: (0.9, 1)) }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "eps", value: 0)) { try AdamW(ps, epsilon: 0) }
        #expect(throws: OptimizerError.invalidHyperparameter(name: "momentum", value: -1)) { try RMSprop(ps, momentum: -1) }
        #expect(throws: OptimizerError.self) { try SGD(ps, nesterov: true) }
        #expect(throws: OptimizerError.self) { try SGD(groups: [ParameterGroup(ps, learningRate: -1)]) }
        #expect(throws: OptimizerError.self) { try SGD(groups: [ParameterGroup(ps), ParameterGroup(ps)]) }
        #expect(OptimizerError.invalidHyperparameter(name: "lr", value: -0.1).localizedDescription == "Invalid learning rate: -0.1")
        #expect(OptimizerError.invalidHyperparameter(name: "betas.0", value: 1.5).errorDescription
                == "Invalid beta parameter at index 0: 1.5")
    }

    @Test func groupsHaveTheirOwnLearningRates() throws {
        let a = Parameter(Tensor<Double>([1])), b = Parameter(Tensor<Double>([1]))
        let sgd = try SGD(groups: [ParameterGroup([a], learningRate: 0.5), ParameterGroup([b])], learningRate: 0.1)
        (a.variable * a.variable + b.variable * b.variable).sum().backward()
        sgd.step()
        #expect(a.value.scalar == 0.0)
        #expect(b.value.scalar == 0.8)
        #expect(sgd.parameterGroups[1].learningRate == 0.1)
    }

    func rosenbrock(_ x: Parameter<Double>) -> Double {
        x.zeroGradient()
        let v = x.variable
        let a = 1 - v[0], b = v[1] - v[0] * v[0]
        let loss = a * a + 100 * b * b
        loss.backward()
        return loss.scalar
    }

    @Test func lbfgsStrongWolfeOnRosenbrock() throws {
        // torch.optim.LBFGS([x], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
        let x = Parameter(Tensor<Double>([-1.5, 2]))
        let lbfgs = try LBFGS([x], historySize: 10, lineSearch: .strongWolfe)
        var out: [Double] = []
        for _ in 0..<3 {
            lbfgs.step { rosenbrock(x) }
            out += x.value.scalars + [rosenbrock(x)]
        }
        let expected: [Double] = [-0.08523120550524242, -0.02882464531631397, 1.3079683882673427, 0.9997609786712734, 0.9995387882216061, 8.526705732565528e-08, 0.9999834179208867, 0.9999669023996953, 2.754046907500365e-10]
        // Iterates to 1e-9 (the line search's dot products are summed in another order than
        // BLAS's); the losses near the minimum are tiny differences, compared to 1e-7.
        for i in [0, 1, 3, 4, 6, 7] { expectClose([out[i]], [expected[i]], rtol: 1e-9) }
        for i in [2, 5] { expectClose([out[i]], [expected[i]], rtol: 1e-7) }
        #expect(out[8] < 1e-8)
    }

    @Test func lbfgsWithoutLineSearch() throws {
        // torch.optim.LBFGS([x], lr=0.01, max_iter=10, history_size=5)
        let x = Parameter(Tensor<Double>([-1.5, 2]))
        let lbfgs = try LBFGS([x], learningRate: 0.01, maxIterations: 10, historySize: 5)
        var out: [Double] = []
        for _ in 0..<3 {
            lbfgs.step { rosenbrock(x) }
            out += x.value.scalars + [rosenbrock(x)]
        }
        expectClose(out, [-1.4866082753378047, 2.004396747143989, 10.410661714051905, -1.4806645775714773, 2.006432173823397, 9.61089469270515, -1.4752063243210707, 2.0082068875321406, 8.949947295813576], rtol: 1e-10)
        #expect(lbfgs.state(for: x)["n_iter"]?.scalar == 30)
    }
}
