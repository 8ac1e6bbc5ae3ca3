import NablaTensor

/// How ``jacobian(at:mode:chunkSize:of:)`` computes: one forward pass per input element, or one
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
///   - mode: forward, reverse, or chosen by the sizes (default).
///   - chunkSize: how many directions (rows in reverse mode, columns in forward mode) are
///     computed before they are copied into the result and their temporaries are freed; `nil`
///     means all. Nabla has no vectorizing map yet, so each direction is its own pass either way:
///     the chunk size bounds memory, not the number of passes.
public func valueWithJacobian<S: TensorFloatingPoint>(
    at x: Tensor<S>, mode: JacobianMode = .automatic, chunkSize: Int? = nil,
    of f: (Variable<S>) throws -> Variable<S>) rethrows -> (value: Tensor<S>, jacobian: Tensor<S>) {
    precondition(chunkSize.map { $0 > 0 } ?? true, "jacobian: chunkSize must be positive")
    let (y, nodes) = try recordForReverse([Variable(x)]) { try f($0[0]) }
    let n = x.count, m = y.count
    let useForward = mode == .forward || (mode == .automatic && n < m)
    var result = Tensor<S>.zeros(y.shape + x.shape)
    let chunk = chunkSize ?? Swift.max(useForward ? n : m, 1)
    if useForward {
        var start = 0
        while start < n {
            let end = Swift.min(n, start + chunk)
            var columns: [Tensor<S>] = []
            for j in start..<end {
                columns.append(try jvp(at: x, tangent: basis(x.shape, j), of: f).tangent.contiguous)
            }
            result.withUnsafeMutableBufferPointer { r in
                for (k, c) in columns.enumerated() {
                    c.withUnsafeBufferPointer { c in for i in 0..<m { r[i * n + start + k] = c[i] } }
                }
            }
            start = end
        }
    } else {
        var start = 0
        while start < m {
            let end = Swift.min(m, start + chunk)
            let rows = (start..<end).map { i in sweep(from: y, seed: Variable(basis(y.shape, i)), to: nodes)[0].value }
            result.withUnsafeMutableBufferPointer { r in
                for (k, row) in rows.enumerated() {
                    row.withUnsafeBufferPointer { g in
                        for j in 0..<n { r[(start + k) * n + j] = g[j] }
                    }
                }
            }
            start = end
        }
    }
    return (y.value, result)
}

/// The Jacobian `∂f/∂x` of shape `f(x).shape + x.shape`. See ``valueWithJacobian(at:mode:chunkSize:of:)``.
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
