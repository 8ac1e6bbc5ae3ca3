import Testing
import Foundation
import NablaTensor
import NablaData
@testable import NablaExamples

/// The optimizer paths (OptimizerPaths.swift). References: PyTorch and scikit-learn, printed by
/// `python3 scripts/examples-reference.py`; ReferenceScriptTests runs it on the examples' inputs and
/// checks that it still prints the literals below.
@Suite struct OptimizerPathsTests {
    /// The first five iterates of each optimizer on ½(w₁² + 25w₂²) from (−4, 1), as printed by
    /// `scripts/examples-reference.py` (torch.optim, foreach=False, float64). NablaOptimizers follows
    /// PyTorch's arithmetic step for step and the gradient 25·w₂ is rounded once either way, so the
    /// iterates are the same doubles.
    @Test func quadraticIteratesEqualPyTorch() throws {
        let torch: [String: [[Double]]] = [
            "SGD, lr 0.07": [[-4.0, 1.0], [-3.7199999999999998, -0.7500000000000002], [-3.4595999999999996, 0.5625000000000004],
                             [-3.2174279999999995, -0.4218750000000004], [-2.9922080399999995, 0.3164062500000003],
                             [-2.7827534771999995, -0.23730468750000028]],
            "momentum 0.9, lr 0.02": [[-4.0, 1.0], [-3.92, 0.5], [-3.7696, -0.2], [-3.5588480000000002, -0.73],
                                      [-3.2979942400000004, -0.842], [-2.9972659712000005, -0.5218]],
            "Adam, lr 0.3": [[-4.0, 1.0], [-3.7000000007500002, 0.7000000001200001], [-3.4008363229371463, 0.4072838500997804],
                             [-3.10317280216771, 0.13196164536213317], [-2.80776338776744, -0.11019312889029867],
                             [-2.5154600949896593, -0.3002138344258472]],
            "RMSprop, lr 0.05": [[-4.0, 1.0], [-3.5000000124999997, 0.5000000020000002], [-3.1698113388197133, 0.2754933745560104],
                                 [-2.9122198919304374, 0.15484368464792986], [-2.6974330635712174, 0.08731420337852225],
                                 [-2.511779534987515, 0.04915504857982637]],
        ]
        let paths = try quadraticPaths(steps: 5)
        #expect(paths.map(\.label) == ["SGD, lr 0.07", "momentum 0.9, lr 0.02", "Adam, lr 0.3", "RMSprop, lr 0.05"])
        for path in paths { #expect(path.points == torch[path.label], "\(path.label)") }
    }

    @Test func gradientDescentReachesTheLogisticOptimum() throws {
        let r = try optimizerPaths(sgdEpochs: 5, quadraticSteps: 5)
        // scikit-learn LogisticRegression(C=np.inf, fit_intercept=False, solver="newton-cg", tol=1e-14)
        // on the same 200 points gives these doubles, and L(w*) = 0.2585869928287034 (NumPy logaddexp).
        #expect(abs(r.logisticOptimum[0] - 2.372200834503194) < 1e-12)
        #expect(abs(r.logisticOptimum[1] - 1.4680151124491003) < 1e-12)
        #expect(abs(r.logisticOptimalLoss - 0.2585869928287034) < 1e-15)
        // Gradient descent (lr 1) from (−2, 3.5) stops at ‖∇L‖ < 1e-10 after 572 steps, at w*.
        let last = r.gradientDescent.points.last!
        #expect(r.gradientDescent.points.count == 573)
        #expect(hypot(last[0] - r.logisticOptimum[0], last[1] - r.logisticOptimum[1]) < 1e-8)
        #expect(r.gradientDescent.points.first! == [-2, 3.5])
        // Mini-batch SGD: 5 epochs of 20 batches of 10, near w* but not at it (seeded, pinned).
        #expect(r.stochastic.points.count == 101)
        let s = r.stochastic.points.last!
        #expect(abs(hypot(s[0] - r.logisticOptimum[0], s[1] - r.logisticOptimum[1]) - 0.0746) < 5e-5)
        #expect(r.figures.map(\.name) == ["optimizer-paths-logistic.svg", "optimizer-paths-quadratic.svg"])
    }
}

@Suite struct DecisionBoundaryTests {
    /// 300 Adam steps (the example runs 2000). PyTorch from the same initial weights on the same
    /// points (`scripts/examples-reference.py --decision-boundaries 300`, run by ReferenceScriptTests) ends at cross-entropy 0.08483772310026108, penalty 0.16270419067776834,
    /// accuracy 0.99 (4 classes) and 0.05709361729216729, 0.05783476166743124, 0.99 (2 classes).
    /// Matrix products sum in another order, so the two drift apart by about 1e-13 over 300 steps
    /// (after 2000 steps: 0.07370513624978607 and 0.05051985658455707, the example's printed values).
    @Test func bothNetworksSeparateTheirClasses() throws {
        let r = try decisionBoundaries(steps: 300)
        #expect(r.fourClass.sizes == [2, 32, 32, 4] && r.twoClass.sizes == [2, 16, 2])
        #expect(r.fourClass.trainingAccuracy == 0.99)        // 396 of 400, as PyTorch
        #expect(r.twoClass.trainingAccuracy == 0.99)         // 198 of 200, as PyTorch
        #expect(abs(r.fourClass.loss - 0.08483772310026108) < 1e-11)
        #expect(abs(r.fourClass.penalty - 0.16270419067776834) < 1e-11)
        #expect(abs(r.twoClass.loss - 0.05709361729216729) < 1e-11)
        #expect(abs(r.twoClass.penalty - 0.05783476166743124) < 1e-11)
        // On fresh points (seeded, pinned): the spiral with random t (seed 22), the moons of seed 25.
        #expect(r.fourClass.testAccuracy == 0.985)
        #expect(r.twoClass.testAccuracy == 0.965)
    }
}

@Suite struct UniversalApproximationTests {
    /// NumPy: mean of (np.interp(grid, knots, f(knots)) − f(grid))² on 1001 points of [−5, 5], knots
    /// n + 1 equally spaced (`scripts/examples-reference.py`).
    static let interpolantError: [Int: Double] = [
        1: 0.6632548535760788, 2: 0.9961153754029418, 4: 0.09691587500452961, 8: 0.008827483308517254,
        16: 0.0005887810103224646, 32: 3.737834329566106e-05, 64: 2.3452133875716972e-06,
    ]

    @Test func theConstructedNetworkIsTheLinearInterpolant() {
        let x = linspace(-5, 5, 1001)
        let u = Tensor(shape: [1001, 1], scalars: x.map { $0 / 5 })
        for (n, numpy) in Self.interpolantError {
            let net = interpolatingNetwork(width: n, Generators.sineTarget)
            let e = mse(net(u).value.scalars, x.map(Generators.sineTarget))
            #expect(abs(e - numpy) < 1e-12 * numpy, "width \(n)")
        }
        // From n = 2 on, each doubling divides the error by about 2⁴ (O(h⁴) in mean square).
        for n in [4, 8, 16, 32, 64] { #expect(Self.interpolantError[n]! < Self.interpolantError[n / 2]! / 6) }
    }

    /// A small run (widths 2, 8, 32; 1000 steps; best of 2 restarts): the error falls with the
    /// width. Seeded values, pinned.
    @Test func theTrainedErrorFallsWithWidth() throws {
        let r = try universalApproximation(widths: [2, 8, 32], steps: 1000, restarts: 2)
        for k in 1..<r.widths.count { #expect(r.trainedError[k] < r.trainedError[k - 1] / 10, "width \(r.widths[k])") }
        let expected = [0.27195159539118424, 0.007121078226257108, 0.0005655738734022589]
        for k in expected.indices { #expect(abs(r.trainedError[k] - expected[k]) < 1e-9 * expected[k], "width \(r.widths[k])") }
        #expect(abs(r.trainingError[2] - 0.0005613272987675424) < 1e-9 * 0.0005613272987675424)
        for (k, n) in r.widths.enumerated() { #expect(abs(r.constructedError[k] - Self.interpolantError[n]!) < 1e-12) }
    }
}
