import Testing
import NablaAutograd
import _NablaTestSupport

/// The fused linear op (`Variable.linear(weight:bias:fusingReLU:)`): values and gradients against
/// PyTorch, finite differences in Double, and bit for bit against the unfused `matmul`, `+`, `relu`.
@Suite("Fused linear op")
struct LinearOperatorTests {
    static let x = Tensor<Double>(shape: [4, 3], scalars: [0.5, -1.25, 2.0, -0.75, 0.25, 1.5, 1.0, 1.0, -1.0, -2.0, 0.5, 0.0])
    static let w = Tensor<Double>(shape: [2, 3], scalars: [0.3, -0.2, 0.1, -0.4, 0.6, 0.25])
    static let b = Tensor<Double>([0.05, -0.1])
    static let seed = Tensor<Double>(shape: [4, 2], scalars: [1.0, -2.0, 0.5, 0.25, -1.5, 3.0, 2.0, -0.5])

    /// `(F.linear(x, w, b) [then relu] · seed).sum().backward()` in torch float64
    /// (scripts/torch_linear_fused_reference.py).
    @Test(arguments: [false, true]) func matchesTorch(relu: Bool) {
        let x = Variable(Self.x, requiresGradient: true), w = Variable(Self.w, requiresGradient: true)
        let b = Variable(Self.b, requiresGradient: true)
        let y = x.linear(weight: w, bias: b, fusingReLU: relu)
        (y * Variable(Self.seed)).sum().backward()
        let expected: (y: [Double], dx: [Double], dw: [Double], db: [Double]) = relu
            ? ([0.6500000000000001, 0.0, 0.0, 0.7250000000000001, 0.049999999999999975, 0.0, 0.0, 1.0],
               [0.3, -0.2, 0.1, -0.1, 0.15, 0.0625, -0.44999999999999996, 0.30000000000000004, -0.15000000000000002, 0.2, -0.3, -0.125],
               [-1.0, -2.75, 3.5, 0.8125, -0.1875, 0.375], [-0.5, -0.25])
            : ([0.6500000000000001, -0.5499999999999999, -0.07499999999999994, 0.7250000000000001, 0.049999999999999975,
                -0.15000000000000005, -0.6499999999999999, 1.0],
               [1.1, -1.4, -0.4, 0.04999999999999999, 0.04999999999999999, 0.1125, -1.6500000000000001, 2.0999999999999996,
                0.6, 0.8, -0.7, 0.07500000000000001],
               [-5.375, -1.625, 4.25, 2.8125, 5.3125, -6.625], [2.0, 0.75])
        #expect(allClose(y.value, Tensor(shape: [4, 2], scalars: expected.y), rtol: 1e-14, atol: 1e-15))
        #expect(allClose(x.gradient!, Tensor(shape: [4, 3], scalars: expected.dx), rtol: 1e-14, atol: 1e-15))
        #expect(allClose(w.gradient!, Tensor(shape: [2, 3], scalars: expected.dw), rtol: 1e-14, atol: 1e-15))
        #expect(allClose(b.gradient!, Tensor(expected.db), rtol: 1e-14, atol: 1e-15))
    }

    /// Finite differences in Double, first and second order, with and without bias and ReLU, on a
    /// batch with leading axes.
    @Test func gradientsCheckAgainstFiniteDifferences() {
        var g = PhiloxGenerator(seed: 8)
        let x = Tensor<Double>.randomNormal([2, 3, 4], using: &g), w = Tensor<Double>.randomNormal([5, 4], using: &g)
        let b = Tensor<Double>.randomNormal([5], using: &g)
        #expect(checkGradients(of: { $0[0].linear(weight: $0[1], bias: $0[2]).tanh().sum() }, at: [x, w, b]).passed)
        #expect(checkGradients(of: { $0[0].linear(weight: $0[1], bias: $0[2], fusingReLU: true).squared().sum() },
                               at: [x, w, b]).passed)
        #expect(checkGradients(of: { $0[0].linear(weight: $0[1]).squared().sum() }, at: [x, w]).passed)
    }

    /// The fused op against `matmul(Wᵀ) + b` and `relu` in Float at a training step's shapes (the
    /// GEMM kernel with the epilogue, the ReLU mask): the values and all three gradients are the
    /// same bits. Besides those, batches that leave 4 + 3, 4 + 1 and 2 rows after the blocks of 8,
    /// with 5 and 9 panels of outputs, and 33 rows of 3 outputs (the dot products' partial block).
    @Test(arguments: [(300, 2, 100), (300, 100, 3), (37, 19, 23), (5, 1, 1), (50, 4, 37), (20, 3, 2),
                      (15, 3, 70), (13, 2, 130), (2, 5, 33), (33, 40, 3)])
    func bitForBitWithUnfusedOps(shape: (Int, Int, Int)) {
        let (n, inF, outF) = shape
        var g = PhiloxGenerator(seed: UInt64(n * 1000 + inF))
        let xv = Tensor<Float>.randomNormal([n, inF], using: &g), wv = Tensor<Float>.randomNormal([outF, inF], using: &g)
        let bv = Tensor<Float>.randomNormal([outF], using: &g), seed = Tensor<Float>.randomNormal([n, outF], using: &g)
        // With and without the input's gradient: a first layer with few inputs folds the weight
        // gradient into the masking pass (`nabla_linear_weight_grad_narrow_f32`).
        for (relu, inputGradient) in [(false, true), (true, true), (false, false), (true, false)] {
            let x1 = Variable(xv, requiresGradient: inputGradient), w1 = Variable(wv, requiresGradient: true)
            let b1 = Variable(bv, requiresGradient: true)
            let y1 = x1.linear(weight: w1, bias: b1, fusingReLU: relu)
            (y1 * Variable(seed)).sum().backward()
            let x2 = Variable(xv, requiresGradient: inputGradient), w2 = Variable(wv, requiresGradient: true)
            let b2 = Variable(bv, requiresGradient: true)
            var y2 = x2.matmul(w2.transposed()) + b2
            if relu { y2 = y2.relu() }
            (y2 * Variable(seed)).sum().backward()
            #expect(y1.value.scalars == y2.value.scalars)
            if inputGradient { #expect(x1.gradient!.scalars == x2.gradient!.scalars) }
            #expect(w1.gradient!.scalars == w2.gradient!.scalars)
            #expect(b1.gradient!.scalars == b2.gradient!.scalars)
        }
    }

    /// An input stored by columns with few outputs: the kernel computes the product transposed, and
    /// the bias is added per row of that product (the epilogue's other orientation), same bits.
    @Test func transposedInputTakesTheTransposedProduct() {
        var g = PhiloxGenerator(seed: 10)
        let x = Tensor<Float>.randomNormal([40, 300], using: &g).transposed()        // [300, 40]
        let w = Tensor<Float>.randomNormal([2, 40], using: &g), b = Tensor<Float>.randomNormal([2], using: &g)
        let seed = Tensor<Float>.randomNormal([300, 2], using: &g)
        for relu in [false, true] {
            let w1 = Variable(w, requiresGradient: true), w2 = Variable(w, requiresGradient: true)
            let fused = Variable(x).linear(weight: w1, bias: Variable(b), fusingReLU: relu)
            var unfused = Variable(x).matmul(w2.transposed()) + Variable(b)
            if relu { unfused = unfused.relu() }
            #expect(fused.value.scalars == unfused.value.scalars)
            (fused * Variable(seed)).sum().backward()
            (unfused * Variable(seed)).sum().backward()
            #expect(w1.gradient!.scalars == w2.gradient!.scalars)
        }
    }

    /// Without a bias, on a rank-1 input, and through a transposed weight view.
    @Test func shapesAndLayouts() {
        var g = PhiloxGenerator(seed: 9)
        let x = Tensor<Float>.randomNormal([6], using: &g), w = Tensor<Float>.randomNormal([4, 6], using: &g)
        let y = Variable(x).linear(weight: Variable(w))
        #expect(y.shape == [4])
        #expect(y.value.scalars == x.reshaped([1, 6]).matmul(w.transposed()).reshaped([4]).scalars)
        let wt = Tensor<Float>.randomNormal([6, 4], using: &g).transposed()       // [4, 6], stored by columns
        let z = Variable(Tensor<Float>.randomNormal([3, 6], using: &g))
        #expect(z.linear(weight: Variable(wt)).value.scalars == z.value.matmul(wt.transposed()).scalars)
    }
}

/// The fused cross-entropy op (`Variable.softmaxCrossEntropy(labels:mean:)`).
@Suite("Fused softmax cross-entropy op")
struct SoftmaxCrossEntropyTests {
    static let logits = Tensor<Double>(shape: [4, 3], scalars: [1.0, -0.5, 2.0, 0.25, 0.75, -1.0, 3.0, 0.0, -2.0, -0.5, -0.5, 0.5])
    static let labels = Tensor<Int>([2, 0, 0, 1])

    /// `F.cross_entropy(logits, target, reduction=…)` and its gradient in torch float64
    /// (scripts/torch_linear_fused_reference.py).
    @Test(arguments: [true, false]) func matchesTorch(mean: Bool) {
        let x = Variable(Self.logits, requiresGradient: true)
        let loss = x.softmaxCrossEntropy(labels: Self.labels, mean: mean)
        loss.backward()
        let expected: (loss: Double, grad: [Double]) = mean
            ? (0.7636883640495287, [0.06342904540875631, 0.01415293306011782, -0.0775819784688741, -0.1648276847351,
                                    0.1404254078520178, 0.024402276883082233, -0.013375219361776575, 0.011780854131166037,
                                    0.0015943652306105742, 0.05298538940427136, -0.19701461059572864, 0.14402922119145728])
            : (3.0547534561981147, [0.25371618163502524, 0.05661173224047128, -0.3103279138754964, -0.6593107389404,
                                    0.5617016314080712, 0.09760910753232893, -0.0535008774471063, 0.04712341652466415,
                                    0.006377460922442297, 0.21194155761708544, -0.7880584423829146, 0.5761168847658291])
        #expect(abs(loss.scalar - expected.loss) <= 1e-14 * expected.loss)
        #expect(allClose(x.gradient!, Tensor(shape: [4, 3], scalars: expected.grad), rtol: 1e-13, atol: 1e-15))
    }

    /// Finite differences in Double, first and second order, and the Float op against the unfused
    /// log-softmax, gather and mean on a training step's shapes (to rounding).
    @Test func gradientsAndFloatAgainstUnfused() {
        var g = PhiloxGenerator(seed: 12)
        let x = Tensor<Double>.randomNormal([6, 4], using: &g) * 3
        let t = Tensor<Int>([3, 0, 1, 1, 2, 0])
        #expect(checkGradients(of: { $0[0].softmaxCrossEntropy(labels: t) }, at: [x]).passed)
        #expect(checkGradients(of: { $0[0].softmaxCrossEntropy(labels: t, mean: false).squared() }, at: [x]).passed)
        let xf = Tensor<Float>.randomNormal([300, 3], using: &g) * 4
        let tf = Tensor<Int>(shape: [300], scalars: (0..<300).map { ($0 * 7) % 3 })
        let a = Variable(xf, requiresGradient: true), b = Variable(xf, requiresGradient: true)
        let fused = a.softmaxCrossEntropy(labels: tf)
        fused.backward()
        let onehot = Tensor<Float>(shape: [300, 3], scalars: (0..<900).map { $0 % 3 == tf.scalars[$0 / 3] ? 1 : 0 })
        let unfused = -(b.logSoftmax(axis: 1) * Variable(onehot)).sum() / 300
        unfused.backward()
        #expect(abs(fused.scalar - unfused.scalar) <= 1e-6 * abs(unfused.scalar))
        #expect(allClose(a.gradient!, b.gradient!, rtol: 1e-5, atol: 1e-7))
    }

    /// The softmax saved by the forward is used only for the logits it came from: one op value
    /// applied to two inputs gives each its own gradient.
    @Test func savedSoftmaxBelongsToItsLogits() {
        let t = Tensor<Int>([1, 0])
        let op = SoftmaxCrossEntropy(labels: t, mean: true)
        let a = Variable(Tensor<Double>(shape: [2, 2], scalars: [0, 1, 2, 3]), requiresGradient: true)
        let b = Variable(Tensor<Double>(shape: [2, 2], scalars: [5, -5, 1, 1]), requiresGradient: true)
        let la = a.applying(op)
        _ = b.applying(op)
        la.backward()
        let fresh = Variable(a.value, requiresGradient: true)
        fresh.softmaxCrossEntropy(labels: t).backward()
        #expect(a.gradient!.scalars == fresh.gradient!.scalars)
    }
}
