import NablaTensor
import NablaAutograd

/// The nonlinearity of an Elman ``RNN``. Mirrors `nonlinearity=` of `torch.nn.RNN`.
public enum RNNNonlinearity: Sendable, Equatable {
    /// `tanh` (PyTorch's default).
    case tanh
    /// `relu`.
    case relu
}

/// The machinery ``RNN``, ``LSTM`` and ``GRU`` share: stacked layers, optional bidirectionality,
/// batch-first inputs and PyTorch's parameters. Mirrors `torch.nn.RNNBase`.
///
/// Parameters, per layer `k` (and `_reverse` for the backward direction), in PyTorch's order and
/// with its names: `weight_ih_l{k}` `[gates·hiddenSize, inputSize_k]`, `weight_hh_l{k}`
/// `[gates·hiddenSize, hiddenSize]`, `bias_ih_l{k}` and `bias_hh_l{k}` `[gates·hiddenSize]`
/// (no biases with `bias: false`), where `gates` is 1 (RNN), 4 (LSTM: `i, f, g, o`) or 3 (GRU:
/// `r, z, n`), and `inputSize_k` is `inputSize` for the first layer and
/// `numDirections·hiddenSize` above it. An ``LSTM`` with `projSize > 0` adds `weight_hr_l{k}`
/// `[projSize, hiddenSize]` after the biases, and its hidden state, `weight_hh_l{k}`'s columns and
/// the layers' outputs have `projSize` features instead of `hiddenSize`. Every parameter starts
/// from `U(−1/√hiddenSize, 1/√hiddenSize)`.
///
/// The forward pass projects the whole sequence's inputs with one matrix product per layer and
/// direction, then takes one matrix product with `weight_hh` per time step.
public class RNNBase<Scalar: TensorFloatingPoint>: Module {
    enum Cell { case rnn(RNNNonlinearity), lstm, gru }
    let cell: Cell
    /// The number of features of each input step.
    public let inputSize: Int
    /// The number of features of the hidden state.
    public let hiddenSize: Int
    /// The number of stacked layers.
    public let numLayers: Int
    /// Whether each layer also runs backwards over the sequence (outputs concatenated on the feature axis).
    public let bidirectional: Bool
    /// Whether inputs and outputs are `[batch, sequence, feature]` rather than `[sequence, batch, feature]`.
    /// (The final states are `[numLayers·numDirections, batch, hiddenSize]` either way, as in PyTorch.)
    public let batchFirst: Bool
    /// The dropout probability applied to each layer's output but the last's, in training.
    public let dropout: Scalar
    /// Whether dropout between layers is active.
    public var isTraining = true
    /// The input-to-hidden weights, one per layer and direction (`[layer·numDirections + direction]`).
    public let inputWeights: [Parameter<Scalar>]
    /// The hidden-to-hidden weights, one per layer and direction.
    public let hiddenWeights: [Parameter<Scalar>]
    /// The input-to-hidden biases, or empty with `bias: false`.
    public let inputBiases: [Parameter<Scalar>]
    /// The hidden-to-hidden biases, or empty with `bias: false`.
    public let hiddenBiases: [Parameter<Scalar>]
    /// The size of an ``LSTM``'s projected hidden state (`proj_size`), or 0 without a projection.
    public let projSize: Int
    /// An ``LSTM``'s projections of the hidden state `weight_hr_l{k}`, `[projSize, hiddenSize]`, one per
    /// layer and direction; empty when ``projSize`` is 0.
    public let projectionWeights: [Parameter<Scalar>]
    let dropoutLayer: Dropout<Scalar>

    init<G: PhiloxProtocol>(cell: Cell, name: String, inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool,
                            batchFirst: Bool, dropout: Scalar, bidirectional: Bool, projSize: Int = 0, using generator: inout G) {
        precondition(inputSize > 0 && hiddenSize > 0 && numLayers > 0,
                     "\(name): inputSize, hiddenSize and numLayers must be positive, got \(inputSize), \(hiddenSize), \(numLayers)")
        precondition(projSize >= 0 && projSize < hiddenSize,
                     "\(name): projSize must be in 0..<hiddenSize (\(hiddenSize)), got \(projSize)")
        precondition(dropout >= 0 && dropout <= 1, "\(name): dropout must be in [0, 1], got \(dropout)")
        self.cell = cell
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        self.bidirectional = bidirectional; self.batchFirst = batchFirst; self.dropout = dropout; self.projSize = projSize
        let stateSize = projSize > 0 ? projSize : hiddenSize
        let gates: Int
        switch cell { case .rnn: gates = 1; case .lstm: gates = 4; case .gru: gates = 3 }
        let directions = bidirectional ? 2 : 1
        let bound = Scalar(1 / Double(hiddenSize).squareRoot())
        var wih: [Parameter<Scalar>] = [], whh: [Parameter<Scalar>] = [], bih: [Parameter<Scalar>] = [], bhh: [Parameter<Scalar>] = []
        var whr: [Parameter<Scalar>] = []
        // Drawn in PyTorch's registration order: per layer, per direction, w_ih, w_hh, b_ih, b_hh, w_hr.
        for layer in 0..<numLayers {
            let layerInput = layer == 0 ? inputSize : stateSize * directions
            for _ in 0..<directions {
                wih.append(Parameter(Tensor.randomUniform([gates * hiddenSize, layerInput], in: -bound..<bound, using: &generator)))
                whh.append(Parameter(Tensor.randomUniform([gates * hiddenSize, stateSize], in: -bound..<bound, using: &generator)))
                if bias {
                    bih.append(Parameter(Tensor.randomUniform([gates * hiddenSize], in: -bound..<bound, using: &generator)))
                    bhh.append(Parameter(Tensor.randomUniform([gates * hiddenSize], in: -bound..<bound, using: &generator)))
                }
                if projSize > 0 {
                    whr.append(Parameter(Tensor.randomUniform([projSize, hiddenSize], in: -bound..<bound, using: &generator)))
                }
            }
        }
        inputWeights = wih; hiddenWeights = whh; inputBiases = bih; hiddenBiases = bhh; projectionWeights = whr
        dropoutLayer = Dropout(p: dropout)
    }

    /// 2 when bidirectional, else 1.
    public var numDirections: Int { bidirectional ? 2 : 1 }

    /// Whether the layers have biases.
    public var hasBias: Bool { !inputBiases.isEmpty }

    /// The number of features of the hidden state `h` and of each output step per direction:
    /// ``projSize`` when it is positive, else ``hiddenSize``.
    public var outputHiddenSize: Int { projSize > 0 ? projSize : hiddenSize }

    /// `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, (`weight_hr_l0`), (`…_l0_reverse`), `weight_ih_l1`, …
    public var namedLocalParameters: [(name: String, parameter: Parameter<Scalar>)] {
        var out: [(name: String, parameter: Parameter<Scalar>)] = []
        for layer in 0..<numLayers {
            for direction in 0..<numDirections {
                let k = layer * numDirections + direction, suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                out.append(("weight_ih" + suffix, inputWeights[k]))
                out.append(("weight_hh" + suffix, hiddenWeights[k]))
                if hasBias {
                    out.append(("bias_ih" + suffix, inputBiases[k]))
                    out.append(("bias_hh" + suffix, hiddenBiases[k]))
                }
                if projSize > 0 { out.append(("weight_hr" + suffix, projectionWeights[k])) }
            }
        }
        return out
    }

    /// Runs every layer over `x` and returns the output sequence and the final hidden (and cell)
    /// states, `[numLayers·numDirections, N, H]` (the hidden state `[…, N, projSize]` with a
    /// projection). `x` is `[L, N, I]`, `[N, L, I]` (batch first) or unbatched `[L, I]`; the initial
    /// states have the final states' shape (zeros when `nil`).
    func run(_ x: Variable<Scalar>, hidden h0: Variable<Scalar>?, cell c0: Variable<Scalar>?, name: String)
        -> (output: Variable<Scalar>, hidden: Variable<Scalar>, cell: Variable<Scalar>?) {
        precondition((x.rank == 3 || x.rank == 2) && x.shape[x.rank - 1] == inputSize,
                     "\(name): expected input [L, N, \(inputSize)] (or [N, L, \(inputSize)] batch first, or [L, \(inputSize)]), got \(x.shape)")
        let unbatched = x.rank == 2
        var seq = unbatched ? x.unsqueezed(axis: 1) : (batchFirst ? x.transposed(0, 1) : x)   // [L, N, I]
        let (length, batch) = (seq.shape[0], seq.shape[1])
        precondition(length > 0, "\(name): the sequence is empty")
        func initial(_ s: Variable<Scalar>?, _ what: String, size: Int) -> [Variable<Scalar>] {
            let stateShape = [numLayers * numDirections, batch, size]
            guard var s else { return [Variable<Scalar>](repeating: Variable(Tensor.zeros([batch, size])), count: stateShape[0]) }
            if unbatched { s = s.unsqueezed(axis: 1) }
            precondition(s.shape == stateShape, "\(name): expected \(what) of shape \(unbatched ? [stateShape[0], size] : stateShape), got \(s.shape)")
            return s.unstacked(axis: 0)
        }
        let hs = initial(h0, "h0", size: outputHiddenSize)
        let cs: [Variable<Scalar>]? = { if case .lstm = cell { return initial(c0, "c0", size: hiddenSize) } else { return nil } }()
        var finalH: [Variable<Scalar>] = [], finalC: [Variable<Scalar>] = []
        for layer in 0..<numLayers {
            var directionOutputs: [Variable<Scalar>] = []
            for direction in 0..<numDirections {
                let k = layer * numDirections + direction
                let (out, h, c) = runDirection(seq, k: k, reverse: direction == 1, h0: hs[k], c0: cs?[k])
                directionOutputs.append(out)
                finalH.append(h)
                if let c { finalC.append(c) }
            }
            seq = directionOutputs.count == 1 ? directionOutputs[0] : concatenate(directionOutputs, axis: 2)
            if layer < numLayers - 1 && dropout > 0 && isTraining {
                dropoutLayer.isTraining = true
                seq = dropoutLayer(seq)
            }
        }
        let output = unbatched ? seq.squeezed(axes: [1]) : (batchFirst ? seq.transposed(0, 1) : seq)
        var hidden = stack(finalH, axis: 0), cellState = finalC.isEmpty ? nil : stack(finalC, axis: 0)
        if unbatched {
            hidden = hidden.squeezed(axes: [1])
            cellState = cellState?.squeezed(axes: [1])
        }
        return (output, hidden, cellState)
    }

    /// The slices of `x` along axis 0, taken by halving: the adjoint of a slice writes into a zero
    /// tensor of its parent's size, so slicing all `L` steps straight off `[L, …]` would cost
    /// `O(L²)` in the backward pass; halving costs `O(L log L)`.
    func timeSteps(_ x: Variable<Scalar>) -> [Variable<Scalar>] {
        let n = x.shape[0]
        if n <= 4 { return x.unstacked(axis: 0) }
        let halves = x.split(sizes: [n / 2, n - n / 2], axis: 0)
        return timeSteps(halves[0]) + timeSteps(halves[1])
    }

    /// One layer in one direction over `[L, N, I]`: `[L, N, H]` outputs and the last states.
    func runDirection(_ x: Variable<Scalar>, k: Int, reverse: Bool, h0: Variable<Scalar>, c0: Variable<Scalar>?)
        -> (Variable<Scalar>, Variable<Scalar>, Variable<Scalar>?) {
        let (length, batch, features) = (x.shape[0], x.shape[1], x.shape[2])
        let gateWidth = inputWeights[k].shape[0]
        // The input projection of every step at once; for RNN and LSTM both biases go in here.
        var projected = x.reshaped([length * batch, features]).matmul(inputWeights[k].variable.transposed())
        if hasBias {
            if case .gru = cell { projected = projected + inputBiases[k].variable }
            else { projected = projected + (inputBiases[k].variable + hiddenBiases[k].variable) }
        }
        let steps = timeSteps(projected.reshaped([length, batch, gateWidth]))
        let whh = hiddenWeights[k].variable.transposed()
        let bhh: Variable<Scalar>? = hasBias ? hiddenBiases[k].variable : nil
        var h = h0, c = c0
        var outputs = [Variable<Scalar>?](repeating: nil, count: length)
        for t in reverse ? Array((0..<length).reversed()) : Array(0..<length) {
            let recurrent = h.matmul(whh)
            switch cell {
            case .rnn(let nonlinearity):
                let pre = steps[t] + recurrent
                h = nonlinearity == .tanh ? pre.tanh() : pre.relu()
            case .lstm:
                let gates = (steps[t] + recurrent).split(count: 4, axis: 1)
                let (i, f, g, o) = (gates[0].sigmoid(), gates[1].sigmoid(), gates[2].tanh(), gates[3].sigmoid())
                let cNext = f * c! + i * g
                c = cNext
                h = o * cNext.tanh()
                if projSize > 0 { h = h.matmul(projectionWeights[k].variable.transposed()) }
            case .gru:
                let xs = steps[t].split(count: 3, axis: 1)
                let hs = (bhh.map { recurrent + $0 } ?? recurrent).split(count: 3, axis: 1)
                let r = (xs[0] + hs[0]).sigmoid(), z = (xs[1] + hs[1]).sigmoid()
                let n = (xs[2] + r * hs[2]).tanh()
                h = n + z * (h - n)   // (1 − z)·n + z·h
            }
            outputs[t] = h
        }
        return (stack(outputs.map { $0! }, axis: 0), h, c)
    }
}

/// An Elman recurrent network, `hₜ = tanh(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh)` (or ReLU), over
/// `numLayers` stacked layers. Mirrors `torch.nn.RNN(input_size, hidden_size, num_layers,
/// nonlinearity, bias, batch_first, dropout, bidirectional)`; parameters as in ``RNNBase``.
///
/// ```swift
/// let rnn = RNN<Float>(inputSize: 8, hiddenSize: 16, numLayers: 2, batchFirst: true)
/// let (output, hN) = rnn(x)          // x [N, L, 8] → output [N, L, 16], hN [2, N, 16]
/// ```
public final class RNN<Scalar: TensorFloatingPoint>: RNNBase<Scalar> {
    /// The nonlinearity of each step.
    public let nonlinearity: RNNNonlinearity

    /// An RNN with weights drawn from `generator`.
    public init<G: PhiloxProtocol>(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: RNNNonlinearity = .tanh,
                                   bias: Bool = true, batchFirst: Bool = false, dropout: Scalar = 0, bidirectional: Bool = false,
                                   using generator: inout G) {
        self.nonlinearity = nonlinearity
        super.init(cell: .rnn(nonlinearity), name: "RNN", inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                   bias: bias, batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, using: &generator)
    }

    /// An RNN with weights drawn from the default generator.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: RNNNonlinearity = .tanh,
                            bias: Bool = true, batchFirst: Bool = false, dropout: Scalar = 0, bidirectional: Bool = false) {
        var g = DefaultGenerator()
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, nonlinearity: nonlinearity, bias: bias,
                  batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, using: &g)
    }

    /// The output sequence (`[L, N, numDirections·H]`, batch first `[N, L, …]`) and the final hidden
    /// state `[numLayers·numDirections, N, H]`, from the initial hidden state `h0` of that shape (zeros
    /// when `nil`). Unbatched inputs `[L, I]` drop the batch axis everywhere. Mirrors `rnn(x, h0)`.
    public func callAsFunction(_ x: Variable<Scalar>, _ h0: Variable<Scalar>? = nil) -> (output: Variable<Scalar>, hidden: Variable<Scalar>) {
        let r = run(x, hidden: h0, cell: nil, name: "RNN")
        return (r.output, r.hidden)
    }
}

/// A long short-term memory network over `numLayers` stacked layers. Mirrors
/// `torch.nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
/// proj_size)`, with PyTorch's gate order `i, f, g, o` in the rows of the weights:
///
///     i = σ(W_ii x + b_ii + W_hi h + b_hi)    f = σ(W_if x + b_if + W_hf h + b_hf)
///     g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = σ(W_io x + b_io + W_ho h + b_ho)
///     c′ = f·c + i·g                           h′ = o·tanh(c′)
///
/// With `projSize > 0` the hidden state is projected, `h′ = W_hr·(o·tanh(c′))`, to `projSize`
/// features (`weight_hr_l0`), which is what the next step, the next layer and the output see; the
/// cell state keeps `hiddenSize` features.
///
/// Parameters as in ``RNNBase`` (`weight_ih_l0` is `[4·hiddenSize, inputSize]`).
///
/// ```swift
/// let lstm = LSTM<Float>(inputSize: 8, hiddenSize: 32, projSize: 16)
/// let (y, (h, c)) = lstm(x)   // x [L, N, 8] → y [L, N, 16], h [1, N, 16], c [1, N, 32]
/// ```
public final class LSTM<Scalar: TensorFloatingPoint>: RNNBase<Scalar> {
    /// An LSTM with weights drawn from `generator`, projecting its hidden state to `projSize`
    /// features (`proj_size`) when that is positive.
    /// - Precondition: `0 ≤ projSize < hiddenSize`.
    public init<G: PhiloxProtocol>(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                                   dropout: Scalar = 0, bidirectional: Bool = false, projSize: Int = 0, using generator: inout G) {
        super.init(cell: .lstm, name: "LSTM", inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projSize: projSize, using: &generator)
    }

    /// An LSTM with weights drawn from the default generator, projecting its hidden state to
    /// `projSize` features (`proj_size`) when that is positive.
    /// - Precondition: `0 ≤ projSize < hiddenSize`.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                            dropout: Scalar = 0, bidirectional: Bool = false, projSize: Int = 0) {
        var g = DefaultGenerator()
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias, batchFirst: batchFirst,
                  dropout: dropout, bidirectional: bidirectional, projSize: projSize, using: &g)
    }

    /// The output sequence (`[L, N, numDirections·H]`, batch first `[N, L, …]`) and the final hidden
    /// and cell states, each `[numLayers·numDirections, N, H]`, from the initial `(h0, c0)` of those
    /// shapes (zeros when `nil`). With a projection, `H` is ``RNNBase/projSize`` for the output and
    /// the hidden state (the cell state keeps ``RNNBase/hiddenSize``). Unbatched inputs `[L, I]` drop
    /// the batch axis everywhere. Mirrors `lstm(x, (h0, c0))`.
    public func callAsFunction(_ x: Variable<Scalar>, _ state: (hidden: Variable<Scalar>, cell: Variable<Scalar>)? = nil)
        -> (output: Variable<Scalar>, state: (hidden: Variable<Scalar>, cell: Variable<Scalar>)) {
        let r = run(x, hidden: state?.hidden, cell: state?.cell, name: "LSTM")
        return (r.output, (r.hidden, r.cell!))
    }
}

/// A gated recurrent unit network over `numLayers` stacked layers. Mirrors
/// `torch.nn.GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)`,
/// with PyTorch's gate order `r, z, n` and its placement of `b_hn` inside the reset gate:
///
///     r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
///     n = tanh(W_in x + b_in + r·(W_hn h + b_hn))
///     h′ = (1 − z)·n + z·h
///
/// Parameters as in ``RNNBase`` (`weight_ih_l0` is `[3·hiddenSize, inputSize]`).
public final class GRU<Scalar: TensorFloatingPoint>: RNNBase<Scalar> {
    /// A GRU with weights drawn from `generator`.
    public init<G: PhiloxProtocol>(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                                   dropout: Scalar = 0, bidirectional: Bool = false, using generator: inout G) {
        super.init(cell: .gru, name: "GRU", inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
                   batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, using: &generator)
    }

    /// A GRU with weights drawn from the default generator.
    public convenience init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                            dropout: Scalar = 0, bidirectional: Bool = false) {
        var g = DefaultGenerator()
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias, batchFirst: batchFirst,
                  dropout: dropout, bidirectional: bidirectional, using: &g)
    }

    /// The output sequence (`[L, N, numDirections·H]`, batch first `[N, L, …]`) and the final hidden
    /// state `[numLayers·numDirections, N, H]`, from `h0` of that shape (zeros when `nil`).
    /// Unbatched inputs `[L, I]` drop the batch axis everywhere. Mirrors `gru(x, h0)`.
    public func callAsFunction(_ x: Variable<Scalar>, _ h0: Variable<Scalar>? = nil) -> (output: Variable<Scalar>, hidden: Variable<Scalar>) {
        let r = run(x, hidden: h0, cell: nil, name: "GRU")
        return (r.output, r.hidden)
    }
}
