import NablaTensor

/// The forward of `+ − × ÷` for a recorded op, whose operands the op's variables keep holding.
///
/// `Tensor`'s operators take their left operand `consuming`, so that a temporary's buffer can be
/// reused for the result; an operand that a `Variable` still holds is copied into the call (three
/// retains and three releases) and its buffer is then not reusable anyway. So operands of one
/// shape go straight to `zipWith` (the same loop the operators run), except large `Float` ones,
/// which keep the operators' AVX2/AVX-512 kernel; everything else goes to `general`.
@inlinable @inline(__always)
func arithmeticForward<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>, op: StaticString,
                                               _ combine: (S, S) -> S,
                                               general: (Tensor<S>, Tensor<S>) -> Tensor<S>) -> Tensor<S> {
    if (S.self != Float.self || a.count < 4096) && a.shape == b.shape { return a.zipWith(b, op: op, combine) }
    return general(a, b)
}
