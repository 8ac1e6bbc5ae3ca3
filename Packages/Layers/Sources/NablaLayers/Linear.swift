import NablaTensor
import NablaAutograd

/// `y = x·Wᵀ + b`, over the last axis of `x`. Mirrors `torch.nn.Linear`: `weight` of shape
/// `[outFeatures, inFeatures]`, `bias` of shape `[outFeatures]`, both initialized from
/// `U(−1/√inFeatures, 1/√inFeatures)` (PyTorch's kaiming-uniform with `a = √5`).
public final class Linear<Scalar: TensorFloatingPoint>: Layer {
    /// The weight, `[outFeatures, inFeatures]`.
    public let weight: Parameter<Scalar>
    /// The bias, `[outFeatures]`, or `nil` when created with `bias: false`.
    public let bias: Parameter<Scalar>?

    /// A linear layer with weights drawn from `generator`.
    public init<G: PhiloxProtocol>(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, using generator: inout G) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear: feature counts must be positive, got \(inFeatures) → \(outFeatures)")
        weight = Parameter(Initializer.kaimingUniform([outFeatures, inFeatures], nonlinearity: .leakyReLU(negativeSlope: 5.0.squareRoot()), using: &generator))
        let b = Scalar(1 / Double(inFeatures).squareRoot())
        self.bias = bias ? Parameter(Tensor.randomUniform([outFeatures], in: -b..<b, using: &generator)) : nil
    }

    /// A linear layer with weights drawn from the default generator (seed it with `DefaultGenerator.seed(_:)`).
    public convenience init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        var g = DefaultGenerator()
        self.init(inFeatures, outFeatures, bias: bias, using: &g)
    }

    /// The input size.
    public var inFeatures: Int { weight.shape[1] }
    /// The output size.
    public var outFeatures: Int { weight.shape[0] }

    /// `weight` and, when present, `bias`.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    /// `x·Wᵀ + b` for `x` of shape `[…, inFeatures]`: one recorded op (`Variable.linear`), one GEMM
    /// whose epilogue adds the bias. Specialized for `Float` and `Double`: called through
    /// `any Layer`, the generic body would run every tensor operation unspecialized.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { self(x, fusingReLU: false) }

    /// `x·Wᵀ + b`, followed by `max(·, 0)` in the same pass when `fusingReLU` (what ``Sequential``
    /// calls for a `Linear` followed by a ``ReLU``).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(_ x: Variable<Scalar>, fusingReLU: Bool) -> Variable<Scalar> {
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inFeatures,
                     "Linear: expected inputs [..., \(inFeatures)], got \(x.shape)")
        return x.linear(weight: weight.variable, bias: bias?.variable, fusingReLU: fusingReLU)
    }
}

/// `yₖ = x₁ᵀ·Wₖ·x₂ + bₖ`. Mirrors `torch.nn.Bilinear`: `weight` of shape `[out, in1, in2]`,
/// `bias` of shape `[out]`, both from `U(−1/√in1, 1/√in1)`.
public final class Bilinear<Scalar: TensorFloatingPoint>: Module {
    /// The weight, `[outFeatures, in1Features, in2Features]`.
    public let weight: Parameter<Scalar>
    /// The bias, `[outFeatures]`, or `nil`.
    public let bias: Parameter<Scalar>?

    /// A bilinear layer with weights drawn from `generator`.
    public init<G: PhiloxProtocol>(_ in1Features: Int, _ in2Features: Int, _ outFeatures: Int, bias: Bool = true,
                                   using generator: inout G) {
        let b = Scalar(1 / Double(in1Features).squareRoot())
        weight = Parameter(Tensor.randomUniform([outFeatures, in1Features, in2Features], in: -b..<b, using: &generator))
        self.bias = bias ? Parameter(Tensor.randomUniform([outFeatures], in: -b..<b, using: &generator)) : nil
    }

    /// A bilinear layer with weights drawn from the default generator.
    public convenience init(_ in1Features: Int, _ in2Features: Int, _ outFeatures: Int, bias: Bool = true) {
        var g = DefaultGenerator()
        self.init(in1Features, in2Features, outFeatures, bias: bias, using: &g)
    }

    /// `weight` and, when present, `bias`.
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    /// `x₁ᵀ·Wₖ·x₂ + bₖ` for `x1` of shape `[…, in1]` and `x2` of shape `[…, in2]` (same leading axes).
    public func callAsFunction(_ x1: Variable<Scalar>, _ x2: Variable<Scalar>) -> Variable<Scalar> {
        let (o, i, j) = (weight.shape[0], weight.shape[1], weight.shape[2])
        precondition(x1.shape.last == i && x2.shape.last == j && x1.shape.dropLast() == x2.shape.dropLast(),
                     "Bilinear: expected inputs [..., \(i)] and [..., \(j)], got \(x1.shape) and \(x2.shape)")
        let lead = Array(x1.shape.dropLast())
        let a = x1.reshaped([-1, i]), c = x2.reshaped([-1, j])
        // (a·W reshaped) : [n, i]·[i, o·j] → [n, o, j], then contract j with c.
        let aw = a.matmul(weight.variable.transposed(0, 1).reshaped([i, o * j])).reshaped([-1, o, j])
        var y = (aw * c.unsqueezed(axis: 1)).sum(axis: 2)
        if let bias { y = y + bias.variable }
        return y.reshaped(lead + [o])
    }

    /// The forward pass on data.
    public func callAsFunction(_ x1: Tensor<Scalar>, _ x2: Tensor<Scalar>) -> Variable<Scalar> { self(Variable(x1), Variable(x2)) }
}

/// Passes its input through. Mirrors `torch.nn.Identity`.
public final class Identity<Scalar: TensorFloatingPoint>: Layer {
    /// An identity layer.
    public init() {}
    /// `x`.
    public func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar> { x }
}
