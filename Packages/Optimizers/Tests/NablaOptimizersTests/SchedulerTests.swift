import Testing
import NablaAutograd
@testable import NablaOptimizers
import _NablaTestSupport

/// Every schedule against PyTorch's `get_last_lr()` (scripts/optimizer-reference.py): SGD with
/// lr 0.1, the learning rate after construction and after each step. Expected bit for bit.
@Suite("Learning-rate schedules against PyTorch")
struct SchedulerTests {
    func sgd(_ lr: Double = 0.1, momentum: Double = 0) throws -> SGD<Double> {
        try SGD([Parameter(Tensor<Double>([0]))], learningRate: lr, momentum: momentum)
    }

    func run(_ s: some LearningRateScheduler, _ o: some Optimizer, steps: Int) -> [Double] {
        var lrs = [s.lastLearningRates[0]]
        for _ in 0..<steps {
            o.step()
            s.step()
            lrs.append(s.lastLearningRates[0])
        }
        return lrs
    }

    @Test func stepLR() throws {
        // PyTorch: S.StepLR(o, step_size=3, gamma=0.5)
        let o = try sgd()
        let s = try StepLR(o, stepSize: 3, gamma: 0.5)
        expectBitwise(run(s, o, steps: 10), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125])
    }

    @Test func multiStepLR() throws {
        // PyTorch: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.1)
        let o = try sgd()
        let s = MultiStepLR(o, milestones: [2, 5, 5], gamma: 0.1)
        expectBitwise(run(s, o, steps: 8), [0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002, 0.00010000000000000005, 0.00010000000000000005, 0.00010000000000000005, 0.00010000000000000005])
    }

    @Test func exponentialLR() throws {
        // PyTorch: S.ExponentialLR(o, gamma=0.9)
        let o = try sgd()
        let s = ExponentialLR(o, gamma: 0.9)
        expectBitwise(run(s, o, steps: 6), [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002, 0.05904900000000002, 0.05314410000000002])
    }

    @Test func cosineAnnealingLR() throws {
        // PyTorch: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01)
        let o = try sgd()
        let s = try CosineAnnealingLR(o, period: 5, minimumLearningRate: 0.01)
        expectBitwise(run(s, o, steps: 14), [0.1, 0.09140576474687263, 0.06890576474687263, 0.04109423525312736, 0.018594235253127367, 0.01, 0.018594235253127367, 0.04109423525312739, 0.06890576474687267, 0.09140576474687269, 0.10000000000000006, 0.09140576474687272, 0.06890576474687268, 0.0410942352531274, 0.01859423525312738])
    }

    @Test func cosineWarmRestarts() throws {
        // PyTorch: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001)
        let o = try sgd()
        let s = try CosineAnnealingWarmRestarts(o, firstPeriod: 3, periodMultiplier: 2, minimumLearningRate: 0.001)
        expectBitwise(run(s, o, steps: 12), [0.1, 0.07525000000000001, 0.025750000000000012, 0.1, 0.09336825748732973, 0.07525000000000001, 0.0505, 0.025750000000000012, 0.007631742512670284, 0.1, 0.09831332840130888, 0.09336825748732973, 0.0855017856687341])
    }

    @Test func cosineWarmRestartsConstant() throws {
        // PyTorch: S.CosineAnnealingWarmRestarts(o, T_0=4)
        let o = try sgd()
        let s = try CosineAnnealingWarmRestarts(o, firstPeriod: 4)
        expectBitwise(run(s, o, steps: 9), [0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1, 0.08535533905932738])
    }

    @Test func linearLR() throws {
        // PyTorch: S.LinearLR(o, start_factor=0.25, total_iters=4)
        let o = try sgd()
        let s = try LinearLR(o, startFactor: 0.25, totalIterations: 4)
        expectBitwise(run(s, o, steps: 7), [0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002, 0.10000000000000002, 0.10000000000000002, 0.10000000000000002, 0.10000000000000002])
    }

    @Test func linearLRDecay() throws {
        // PyTorch: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=3)
        let o = try sgd()
        let s = try LinearLR(o, startFactor: 1.0, endFactor: 0.1, totalIterations: 3)
        expectBitwise(run(s, o, steps: 5), [0.1, 0.06999999999999999, 0.039999999999999994, 0.009999999999999998, 0.009999999999999998, 0.009999999999999998])
    }

    @Test func chained() throws {
        // PyTorch: S.ChainedScheduler([S.ExponentialLR(o, gamma=0.9), S.StepLR(o, step_size=2, gamma=0.5)])
        let o = try sgd()
        let s = try ChainedScheduler([ExponentialLR(o, gamma: 0.9), StepLR(o, stepSize: 2, gamma: 0.5)])
        expectBitwise(run(s, o, steps: 6), [0.1, 0.09000000000000001, 0.04050000000000001, 0.03645000000000001, 0.016402500000000004, 0.014762250000000005, 0.0066430125000000026])
    }

    @Test func sequential() throws {
        // PyTorch: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=3), S.ExponentialLR(o, gamma=0.9)], milestones=[3])
        let o = try sgd()
        let s = try SequentialLR(o, schedulers: [LinearLR(o, startFactor: 0.1, totalIterations: 3), ExponentialLR(o, gamma: 0.9)], milestones: [3])
        expectBitwise(run(s, o, steps: 7), [0.010000000000000002, 0.04, 0.07, 0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002])
    }

    @Test func sequentialCosine() throws {
        // PyTorch: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=2), S.CosineAnnealingLR(o, T_max=4)], milestones=[2])
        let o = try sgd()
        let s = try SequentialLR(o, schedulers: [LinearLR(o, startFactor: 0.5, totalIterations: 2), CosineAnnealingLR(o, period: 4)], milestones: [2])
        expectBitwise(run(s, o, steps: 7), [0.05, 0.07500000000000001, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, 0.014644660940672622])
    }

    @Test func oneCycleCosineCyclesMomentum() throws {
        // PyTorch: S.OneCycleLR(SGD(lr=0.1, momentum=0.9), max_lr=1.0, total_steps=10)
        let o = try sgd(momentum: 0.9)
        let s = try OneCycleLR(o, maxLearningRate: 1.0, totalSteps: 10)
        var lrs = [s.lastLearningRates[0]], momenta = [o.parameterGroups[0]["momentum"]!]
        for _ in 0..<9 { s.step(); lrs.append(s.lastLearningRates[0]); momenta.append(o.parameterGroups[0]["momentum"]!) }
        expectBitwise(lrs, [0.040000000000000036, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631, 0.6112620219362893, 0.38874197806371075, 0.18825834605023697, 0.049519367986526286, 4e-06])
        expectBitwise(momenta, [0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842, 0.9111260466978157, 0.9311744900929366, 0.945048443395121, 0.95])
    }

    @Test func oneCycleLinearThreePhaseCyclesBeta1() throws {
        // PyTorch: S.OneCycleLR(Adam(lr=0.1), max_lr=0.5, total_steps=12, anneal_strategy="linear", three_phase=True)
        let o = try Adam([Parameter(Tensor<Double>([0]))], learningRate: 0.1)
        let s = try OneCycleLR(o, maxLearningRate: 0.5, totalSteps: 12, annealing: .linear, threePhase: true)
        var lrs = [s.lastLearningRates[0]], betas = [o.parameterGroups[0]["betas.0"]!]
        for _ in 0..<11 { s.step(); lrs.append(s.lastLearningRates[0]); betas.append(o.parameterGroups[0]["betas.0"]!) }
        expectBitwise(lrs, [0.02, 0.20461538461538464, 0.3892307692307693, 0.4261538461538461, 0.24153846153846148, 0.0569230769230768, 0.01724165517241379, 0.013793724137931033, 0.010345793103448273, 0.006897862068965515, 0.0034499310344827568, 1.9999999999985307e-06])
        expectBitwise(betas, [0.95, 0.9115384615384615, 0.8730769230769231, 0.8653846153846154, 0.9038461538461539, 0.9423076923076923, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95])
    }

    static let metrics = [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]

    @Test func reduceOnPlateau() throws {
        // PyTorch: S.ReduceLROnPlateau(o, factor=0.5, patience=1, cooldown=1, min_lr=0.01)
        let o = try sgd()
        let s = try ReduceLROnPlateau(o, factor: 0.5, patience: 1, cooldown: 1, minimumLearningRate: 0.01)
        var lrs = [s.lastLearningRates[0]]
        for m in Self.metrics { s.step(metric: m); lrs.append(s.lastLearningRates[0]) }
        expectBitwise(lrs, [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125])
    }

    @Test func reduceOnPlateauMaxAbsolute() throws {
        // PyTorch: S.ReduceLROnPlateau(o, mode="max", factor=0.1, patience=0, threshold=0.05, threshold_mode="abs")
        let o = try sgd()
        let s = try ReduceLROnPlateau(o, mode: .max, factor: 0.1, patience: 0, threshold: 0.05, thresholdMode: .absolute)
        var lrs = [s.lastLearningRates[0]]
        for m in Self.metrics { s.step(metric: m); lrs.append(s.lastLearningRates[0]) }
        expectBitwise(lrs, [0.1, 0.1, 0.010000000000000002, 0.0010000000000000002, 0.00010000000000000003, 1.0000000000000004e-05, 1.0000000000000004e-06, 1.0000000000000005e-07, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08, 1.0000000000000005e-08])
    }

    @Test func closedFormsAgreeWithTheRecursion() throws {
        let o = try sgd()
        let s = ExponentialLR(o, gamma: 0.5)
        s.update(epoch: 3)
        #expect(s.lastLearningRates == [0.1 * 0.125])
    }

    @Test func badArgumentsThrow() throws {
        let o = try sgd()
        #expect(throws: OptimizerError.invalidHyperparameter(name: "step_size", value: 0)) { try StepLR(o, stepSize: 0) }
        #expect(throws: OptimizerError.self) { try LinearLR(o, startFactor: 0) }
        #expect(throws: OptimizerError.self) { try ReduceLROnPlateau(o, factor: 1) }
        #expect(throws: OptimizerError.self) { try SequentialLR(o, schedulers: [ExponentialLR(o, gamma: 0.9)], milestones: [1]) }
    }
}
