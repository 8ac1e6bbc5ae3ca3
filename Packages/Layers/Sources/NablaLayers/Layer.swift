import NablaTensor
import NablaAutograd

/// A module with one input and one output: what ``Sequential`` chains. Mirrors a `torch.nn.Module`
/// whose `forward` takes one tensor.
///
/// A layer is called on a `Variable` (derivatives flow into its parameters and its input) or, for
/// convenience, on a plain `Tensor` of data.
public protocol Layer<Scalar>: Module {
    /// The forward pass. Mirrors `module(x)` / `forward(x)`.
    func callAsFunction(_ x: Variable<Scalar>) -> Variable<Scalar>
}

extension Layer {
    /// The forward pass on data: `x` is a constant, derivatives still flow into the parameters.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Variable<Scalar> { self(Variable(x)) }
}
