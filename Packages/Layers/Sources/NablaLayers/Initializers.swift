import NablaTensor

/// The nonlinearity a gain is computed for. Mirrors the names `torch.nn.init.calculate_gain` takes.
public enum Nonlinearity: Sendable, Equatable {
    /// Identity, convolutions and sigmoid: gain 1.
    case linear
    /// Sigmoid: gain 1.
    case sigmoid
    /// Tanh: gain 5/3.
    case tanh
    /// ReLU: gain √2.
    case relu
    /// Leaky ReLU with this negative slope: gain √(2 / (1 + slope²)).
    case leakyReLU(negativeSlope: Double)
    /// SELU: gain 3/4.
    case selu

    /// The recommended gain. Mirrors `torch.nn.init.calculate_gain`.
    public var gain: Double {
        switch self {
        case .linear, .sigmoid: 1
        case .tanh: 5.0 / 3
        case .relu: 2.0.squareRoot()
        case .leakyReLU(let a): (2 / (1 + a * a)).squareRoot()
        case .selu: 0.75
        }
    }
}

/// Which fan the Kaiming initializers preserve the variance of.
public enum FanMode: Sendable, Equatable {
    /// Preserve the variance in the forward pass (PyTorch's default).
    case fanIn
    /// Preserve the variance of the gradients in the backward pass.
    case fanOut
}

/// Weight initializers, drawing from a seeded `PhiloxGenerator` (or the default generator).
/// Mirrors `torch.nn.init`; each follows PyTorch's formula for the bound or standard deviation.
///
/// The fans of a weight of shape `[out, in, k₁, k₂, …]` are `fanIn = in·k₁·k₂⋯` and
/// `fanOut = out·k₁·k₂⋯`, as in `torch.nn.init._calculate_fan_in_and_fan_out`.
public enum Initializer {
    /// `(fanIn, fanOut)` of a weight of this shape (rank at least 1; rank 1 has both equal to its size).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(!shape.isEmpty, "Initializer.fans: a scalar has no fans")
        if shape.count == 1 { return (shape[0], shape[0]) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Uniform in `[low, high)`. Mirrors `nn.init.uniform_`.
    public static func uniform<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], low: S = 0, high: S = 1, using generator: inout G) -> Tensor<S> {
        Tensor.randomUniform(shape, in: low..<high, using: &generator)
    }

    /// Normal with this mean and standard deviation. Mirrors `nn.init.normal_`.
    public static func normal<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], mean: S = 0, standardDeviation: S = 1, using generator: inout G) -> Tensor<S> {
        Tensor.randomNormal(shape, mean: mean, standardDeviation: standardDeviation, using: &generator)
    }

    /// Glorot/Xavier uniform: `U(−b, b)` with `b = gain·√(6 / (fanIn + fanOut))`. Mirrors `nn.init.xavier_uniform_`.
    public static func xavierUniform<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], gain: Double = 1, using generator: inout G) -> Tensor<S> {
        let (i, o) = fans(shape)
        let b = S(gain * (6 / Double(i + o)).squareRoot())
        return Tensor.randomUniform(shape, in: -b..<b, using: &generator)
    }

    /// Glorot/Xavier normal: `N(0, σ²)` with `σ = gain·√(2 / (fanIn + fanOut))`. Mirrors `nn.init.xavier_normal_`.
    public static func xavierNormal<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], gain: Double = 1, using generator: inout G) -> Tensor<S> {
        let (i, o) = fans(shape)
        return Tensor.randomNormal(shape, standardDeviation: S(gain * (2 / Double(i + o)).squareRoot()), using: &generator)
    }

    /// He/Kaiming uniform: `U(−b, b)` with `b = gain·√(3 / fan)`, the gain of `nonlinearity`.
    /// Mirrors `nn.init.kaiming_uniform_(w, a, mode, nonlinearity)`; PyTorch's default for
    /// `Linear` and convolution weights is `nonlinearity: .leakyReLU(negativeSlope: √5)`, which gives
    /// `b = 1/√fanIn`.
    public static func kaimingUniform<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyReLU(negativeSlope: 0),
        using generator: inout G) -> Tensor<S> {
        let (i, o) = fans(shape)
        let fan = Double(mode == .fanIn ? i : o)
        let b = S(nonlinearity.gain * (3 / fan).squareRoot())
        return Tensor.randomUniform(shape, in: -b..<b, using: &generator)
    }

    /// He/Kaiming normal: `N(0, σ²)` with `σ = gain/√fan`. Mirrors `nn.init.kaiming_normal_`.
    public static func kaimingNormal<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyReLU(negativeSlope: 0),
        using generator: inout G) -> Tensor<S> {
        let (i, o) = fans(shape)
        let fan = Double(mode == .fanIn ? i : o)
        return Tensor.randomNormal(shape, standardDeviation: S(nonlinearity.gain / fan.squareRoot()), using: &generator)
    }

    /// A (semi-)orthogonal matrix times `gain`, the weight flattened to `[shape[0], rest]`: the `Q`
    /// of a QR factorization of a normal matrix, signs fixed by `R`'s diagonal so the distribution
    /// is uniform (Haar). Mirrors `nn.init.orthogonal_`.
    /// - Precondition: rank at least 2.
    public static func orthogonal<S: TensorFloatingPoint, G: PhiloxProtocol>(
        _ shape: [Int], gain: Double = 1, using generator: inout G) -> Tensor<S> {
        precondition(shape.count >= 2, "Initializer.orthogonal: needs rank 2 or more, got shape \(shape)")
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        var a: Tensor<S> = Tensor.randomNormal([rows, cols], using: &generator)
        if rows < cols { a = a.transposed().contiguous }
        let (q, r) = a.qr()
        let signs = r.diagonalPart().sign()
        var m = q * signs
        if rows < cols { m = m.transposed().contiguous }
        return (m * S(gain)).reshaped(shape)
    }

    /// Zeros. Mirrors `nn.init.zeros_`.
    public static func zeros<S: TensorFloatingPoint>(_ shape: [Int]) -> Tensor<S> { Tensor.zeros(shape) }
    /// Ones. Mirrors `nn.init.ones_`.
    public static func ones<S: TensorFloatingPoint>(_ shape: [Int]) -> Tensor<S> { Tensor.ones(shape) }
    /// Every element `value`. Mirrors `nn.init.constant_`.
    public static func constant<S: TensorFloatingPoint>(_ shape: [Int], _ value: S) -> Tensor<S> {
        Tensor(repeating: value, shape: shape)
    }
}
