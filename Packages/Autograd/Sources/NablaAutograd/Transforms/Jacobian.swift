import NablaTensor

/// How `jacobian(at:mode:chunkSize:of:)` computes: one forward pass per input element, or one
/// backward sweep per output element.
public enum JacobianMode: Sendable {
    /// Forward when the input has fewer elements than the output, else reverse (as `jacfwd` vs `jacrev`).
    case automatic
    /// One JVP per input element (`torch.func.jacfwd`).
    case forward
    /// One VJP per output element (`torch.func.jacrev`).
    case reverse
}

/// The unit tensor of `shape` with a 1 at flat position `i`.
@usableFromInline func basis<S: TensorFloatingPoint>(_ shape: [Int], _ i: Int) -> Tensor<S> {
    var t = Tensor<S>.zeros(shape)
    t.withUnsafeMutableBufferPointer { $0[i] = 1 }
    return t
}

/// `f(x)` and the full Jacobian `∂f/∂x`, of shape `f(x).shape + x.shape`:
/// `J[i…, j…] = ∂f(x)[i…] / ∂x[j…]`. For `f: R^{M×N} → R^{P×Q}` that is the seeds' `P×Q×M×N`
/// tensor; for a scalar `f` it is the gradient (shape of `x`); for `R^N → R^M` the `M×N` matrix.
/// Mirrors `torch.func.jacrev` / `jacfwd`.
///
/// - Parameters:
///   - x: the point at which to differentiate.
///   - mode: forward, reverse, or chosen by the sizes (default).
///   - chunkSize: how many directions (rows in reverse mode, columns in forward mode) are
///     computed before they are copied into the result and their temporaries are freed; `nil`
///     means all. Nabla has no vectorizing map yet, so each direction is its own pass either way:
///     the chunk size bounds memory, not the number of passes.
///   - f: the function to differentiate.
public func valueWithJacobian<S: TensorFloatingPoint>(
    at x: Tensor<S>, mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, jacobian: Tensor<S>) {
    let (y, j) = try valueWithJacobian(at: [x], mode: mode, chunkSize: chunkSize) { try f($0[0]) }
    return (y, j[0])
}

/// `f(xs)` and its Jacobian with respect to each input: `jacobian[k]` has shape
/// `f(xs).shape + xs[k].shape`. Mirrors `torch.func.jacrev(f, argnums=(0, 1, …))`.
/// Automatic mode compares the total input size with the output size.
public func valueWithJacobian<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> (value: Tensor<S>, jacobian: [Tensor<S>]) {
    precondition(chunkSize.map { $0 > 0 } ?? true, "jacobian: chunkSize must be positive")
    let (y, nodes) = try recordForReverse(xs.map { Variable($0) }, f)
    let m = y.count
    let totalIn = xs.reduce(0) { $0 + $1.count }
    let useForward = mode == .forward || (mode == .automatic && totalIn < m)
    var results = xs.map { Tensor<S>.zeros(y.shape + $0.shape) }
    if useForward {
        for k in xs.indices {
            let n = xs[k].count
            let chunk = chunkSize ?? Swift.max(n, 1)
            var start = 0
            while start < n {
                let end = Swift.min(n, start + chunk)
                var columns: [Tensor<S>] = []
                for j in start..<end {
                    let tangents = xs.indices.map { $0 == k ? basis(xs[k].shape, j) : Tensor<S>.zeros(xs[$0].shape) }
                    columns.append(try forwardSweep(at: xs, tangents: tangents, of: f).1.contiguous)
                }
                results[k].withUnsafeMutableBufferPointer { r in
                    for (c, column) in columns.enumerated() {
                        column.withUnsafeBufferPointer { col in for i in 0..<m { r[i * n + start + c] = col[i] } }
                    }
                }
                start = end
            }
        }
    } else {
        let chunk = chunkSize ?? Swift.max(m, 1)
        var start = 0
        while start < m {
            let end = Swift.min(m, start + chunk)
            let rows = (start..<end).map { i in sweep(from: y, seed: Variable(basis(y.shape, i)), to: nodes).map { $0.value } }
            for k in xs.indices {
                let n = xs[k].count
                results[k].withUnsafeMutableBufferPointer { r in
                    for (c, row) in rows.enumerated() {
                        row[k].withUnsafeBufferPointer { g in for j in 0..<n { r[(start + c) * n + j] = g[j] } }
                    }
                }
            }
            start = end
        }
    }
    return (y.value, results)
}

/// The Jacobian with respect to each input. See the array form of `valueWithJacobian`.
public func jacobian<S: TensorFloatingPoint>(
    at xs: [Tensor<S>], mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: ([Variable<S>]) throws -> Variable<S>) rethrows -> [Tensor<S>] {
    try valueWithJacobian(at: xs, mode: mode, chunkSize: chunkSize, of: f).jacobian
}

/// The Jacobian `∂f/∂x` of shape `f(x).shape + x.shape`. See `valueWithJacobian(at:mode:chunkSize:of:)`.
public func jacobian<S: TensorFloatingPoint>(
    at x: Tensor<S>, mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: (Variable<S>) throws -> Variable<S>) rethrows -> Tensor<S> {
    try valueWithJacobian(at: x, mode: mode, chunkSize: chunkSize, of: f).jacobian
}

/// The Jacobian as a variable, by reverse mode (one sweep per output element), differentiable
/// again inside another transform: `jacobian(at: x) { gradient(at: $0, of: f) }` is a
/// reverse-over-reverse Hessian.
public func jacobian<S: TensorFloatingPoint>(
    at x: Variable<S>, of f: (Variable<S>) throws -> Variable<S>) rethrows -> Variable<S> {
    let (y, nodes) = try recordForReverse([x]) { try f($0[0]) }
    let rows = (0..<y.count).map { i in sweep(from: y, seed: Variable(basis(y.shape, i)), to: nodes)[0] }
    if rows.isEmpty { return Variable(Tensor<S>.zeros(y.shape + x.shape)) }
    return stack(rows).reshaped(y.shape + x.shape)
}
