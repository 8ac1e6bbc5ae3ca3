import Testing
import NablaAutograd
@testable import NablaOptimizers
import _NablaTestSupport

/// Saving a schedule after k steps and restoring it into a freshly built one continues the same
/// learning rates bit for bit.
@Suite("Schedule state dictionaries")
struct SchedulerStateTests {
    func sgd() throws -> SGD<Double> { try SGD([Parameter(Tensor<Double>([0]))], learningRate: 0.1, momentum: 0.9) }

    /// Runs `make` for 12 steps straight, and for 5 steps, saves, restores into a new optimizer and
    /// schedule (optimizer state too, as a checkpoint would) and runs 7 more.
    func check(_ make: (SGD<Double>) throws -> any LearningRateScheduler & StatefulScheduler,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let o1 = try sgd(), s1 = try make(o1)
        var straight: [Double] = []
        for _ in 0..<12 { o1.step(); s1.step(); straight.append(s1.lastLearningRates[0]) }

        let o2 = try sgd(), s2 = try make(o2)
        var resumed: [Double] = []
        for _ in 0..<5 { o2.step(); s2.step(); resumed.append(s2.lastLearningRates[0]) }
        let saved = s2.stateDictionary(), savedOptimizer = o2.stateDictionary()
        let o3 = try sgd(), s3 = try make(o3)
        try o3.load(stateDictionary: savedOptimizer)
        try s3.load(stateDictionary: saved)
        #expect(s3.stateDictionary() == saved, sourceLocation: sourceLocation)
        for _ in 0..<7 { o3.step(); s3.step(); resumed.append(s3.lastLearningRates[0]) }
        expectBitwise(resumed, straight, sourceLocation: sourceLocation)
    }

    @Test func everySchedule() throws {
        try check { try StepLR($0, stepSize: 3, gamma: 0.5) }
        try check { try CosineAnnealingLR($0, period: 4, minimumLearningRate: 0.01) }
        try check { try CosineAnnealingWarmRestarts($0, firstPeriod: 3, periodMultiplier: 2) }
        try check { try OneCycleLR($0, maxLearningRate: 1, totalSteps: 20) }
        try check { o in try SequentialLR(o, schedulers: [try LinearLR(o, startFactor: 0.1, totalIterations: 4),
                                                          ExponentialLR(o, gamma: 0.9)], milestones: [4]) }
        try check { o in try ChainedScheduler([try LinearLR(o, startFactor: 0.5, totalIterations: 3),
                                               ExponentialLR(o, gamma: 0.9)]) }
    }

    @Test func plateau() throws {
        let metrics: [Double] = [5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3]
        let o1 = try sgd(), p1 = try ReduceLROnPlateau(o1, patience: 1, cooldown: 1)
        for m in metrics { p1.step(metric: m) }
        let o2 = try sgd(), p2 = try ReduceLROnPlateau(o2, patience: 1, cooldown: 1)
        for m in metrics[..<5] { p2.step(metric: m) }
        let o3 = try sgd(), p3 = try ReduceLROnPlateau(o3, patience: 1, cooldown: 1)
        try o3.load(stateDictionary: o2.stateDictionary())
        try p3.load(stateDictionary: p2.stateDictionary())
        for m in metrics[5...] { p3.step(metric: m) }
        #expect(p3.stateDictionary() == p1.stateDictionary())
        #expect(o3.learningRate == o1.learningRate)
    }

    @Test func missingKeyThrows() throws {
        let s = try StepLR(try sgd(), stepSize: 3)
        #expect(throws: OptimizerError.self) { try s.load(stateDictionary: ["last_epoch": 1]) }
    }
}
