import Testing
import NablaLayers
import _NablaTestSupport

private func ref(_ c: String, _ k: String) -> Tensor<Double> { TorchReference.tensor(c, k) }
private func indices(_ c: String, _ k: String = "target") -> Tensor<Int> { ref(c, k).map { Int($0) } }

/// Checks a loss for every reduction PyTorch was run with, and the gradient of the first reduction.
private func check(_ name: String, reductions: [Reduction] = [.mean, .sum, .none], tolerance: Double = 1e-12,
                   sourceLocation: SourceLocation = #_sourceLocation,
                   _ f: (Variable<Double>, Reduction) -> Variable<Double>) {
    let label: [Reduction: String] = [.mean: "mean", .sum: "sum", .none: "none"]
    for (k, r) in reductions.enumerated() {
        let x = Variable(ref(name, "input"), requiresGradient: true)
        let out = f(x, r)
        let expected = ref(name, "out.\(label[r]!)")
        #expect(allClose(out.value, expected, rtol: tolerance, atol: tolerance), "\(name) \(r): \(out.value) vs \(expected)", sourceLocation: sourceLocation)
        if k == 0 {
            out.sum().backward()
            #expect(x.gradient.map { allClose($0, ref(name, "grad.input"), rtol: tolerance, atol: tolerance) } == true,
                    "\(name) gradient: \(String(describing: x.gradient)) vs \(ref(name, "grad.input"))", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Losses against PyTorch")
struct LossTorchTests {
    @Test func regression() {
        check("mse") { mseLoss($0, ref("mse", "target"), reduction: $1) }
        check("l1") { l1Loss($0, ref("l1", "target"), reduction: $1) }
        check("smooth_l1") { smoothL1Loss($0, ref("smooth_l1", "target"), beta: 0.5, reduction: $1) }
        check("huber") { huberLoss($0, ref("huber", "target"), delta: 0.7, reduction: $1) }
    }

    @Test func binary() {
        check("bce") { binaryCrossEntropy($0, ref("bce", "target"), weight: ref("bce", "arg.weight"), reduction: $1) }
        check("bce_logits") {
            binaryCrossEntropyWithLogits($0, ref("bce_logits", "target"), posWeight: ref("bce_logits", "arg.pos_weight"), reduction: $1)
        }
        // Logits of ±200 stay finite.
        check("bce_logits_plain") { binaryCrossEntropyWithLogits($0, ref("bce_logits_plain", "target"), reduction: $1) }
    }

    @Test func crossEntropyWithIndices() {
        check("cross_entropy") { crossEntropy($0, indices("cross_entropy"), reduction: $1) }
        check("cross_entropy_options") {
            crossEntropy($0, indices("cross_entropy_options"), weight: ref("cross_entropy_options", "arg.weight"),
                         ignoreIndex: -100, labelSmoothing: 0.2, reduction: $1)
        }
        check("cross_entropy_spatial") { crossEntropy($0, indices("cross_entropy_spatial"), labelSmoothing: 0.1, reduction: $1) }
        check("nll") { nllLoss($0, indices("nll"), weight: ref("nll", "arg.weight"), reduction: $1) }
    }

    @Test func crossEntropyWithProbabilities() {
        check("cross_entropy_probs") {
            crossEntropy($0, .probabilities(ref("cross_entropy_probs", "target")), weight: ref("cross_entropy_probs", "arg.weight"),
                         labelSmoothing: 0.1, reduction: $1)
        }
    }

    @Test func gaussianNLL() {
        for name in ["gaussian_nll", "gaussian_nll_clamped"] {
            let variance = Variable(ref(name, "input1"), requiresGradient: true)
            check(name) { gaussianNLLLoss($0, ref(name, "target"), variance: variance, full: name == "gaussian_nll",
                                          eps: name == "gaussian_nll" ? 1e-6 : 1e-3, reduction: $1) }
            #expect(allClose(variance.gradient!, ref(name, "grad.input1")), "\(name) ∂/∂var")
        }
    }

    @Test func klDivergence() {
        let x = Variable(ref("kl_div", "input"), requiresGradient: true), y = ref("kl_div", "target")
        for (r, key) in [(KLDivergenceReduction.mean, "mean"), (.batchMean, "batchmean"), (.sum, "sum"), (.none, "none")] {
            #expect(allClose(NablaLayers.klDivergence(x, y, reduction: r).value, ref("kl_div", "out.\(key)")), "\(key)")
        }
        NablaLayers.klDivergence(x, y).backward()
        #expect(allClose(x.gradient!, ref("kl_div", "grad.input")))
        let xl = Variable(ref("kl_div_log_target", "input"), requiresGradient: true), yl = ref("kl_div_log_target", "target")
        #expect(allClose(NablaLayers.klDivergence(xl, yl, reduction: .sum, logTarget: true).value, ref("kl_div_log_target", "out.sum")))
        NablaLayers.klDivergence(xl, yl, reduction: .batchMean, logTarget: true).backward()
        #expect(allClose(NablaLayers.klDivergence(xl, yl, reduction: .batchMean, logTarget: true).value, ref("kl_div_log_target", "out.batchmean")))
        #expect(allClose(xl.gradient!, ref("kl_div_log_target", "grad.input")))
    }

    @Test func seedLosses() {
        // 001: hinge max(0, 1 − y·h) for y ∈ {−1, 1}; zero-one 1[y ≠ h].
        let h = Variable(Tensor<Double>([2, 0.5, -0.25, -3]), requiresGradient: true)
        let y = Tensor<Double>([1, 1, 1, -1])
        let l = hingeLoss(h, y, reduction: .none)
        #expect(l.scalars == [0, 0.5, 1.25, 0])
        hingeLoss(h, y).backward()
        #expect(h.gradient?.scalars == [0, -0.25, -0.25, 0])
        #expect(zeroOneLoss(h.value.sign(), y).scalar == 0.25)
        #expect(zeroOneLoss(Tensor<Double>([1, 0, 2]), Tensor([1, 1, 2]), reduction: .sum).scalar == 1)
    }

    @Test func metrics() {
        let logits = Tensor<Double>([[2, 1, 0], [0, 3, 1], [1, 0, 0.5], [0, 0, 4]])
        let labels = Tensor<Int>([0, 1, 2, 2])
        #expect(accuracy(logits: logits, labels: labels) == 0.75)
        #expect(zeroOneError(predictions: logits.argmax(axis: -1), labels: labels) == 0.25)
        let cm = confusionMatrix(predictions: logits.argmax(axis: -1), labels: labels, classes: 3)
        #expect(cm.scalars == [1, 0, 0, 0, 1, 0, 1, 0, 1])
    }
}
