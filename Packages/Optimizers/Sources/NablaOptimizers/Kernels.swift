import NablaTensor

// The update loops work on raw buffers: the parameter's value and the state buffers are uniquely
// referenced (so `withUnsafeMutableBufferPointer` does not copy), the gradient is read in place.
// Each loop does PyTorch's single-tensor (foreach=False) arithmetic in PyTorch's order, one
// element at a time, with the scalar factors computed in Double as Python does and then rounded
// to `Scalar` as the ATen kernels do. ATen's CPU kernels are compiled with floating-point
// contraction (and their vector paths call `fmadd` explicitly), so every `a + b·c` inside one
// kernel is a fused multiply-add there: `add(other, alpha)`, `addcmul`, `lerp`. We do the same with
// `addingProduct`, which is what makes Double results agree to the last bit (SGD with momentum's
// third iterate is 0.0619999999999999 in PyTorch, 0.06199999999999989 unfused).

/// Calls `body` with the element pointers of two tensors, the first mutable.
@inlinable func withBuffers<S: TensorFloatingPoint>(
    _ x: inout Tensor<S>, _ g: Tensor<S>,
    _ body: (UnsafeMutablePointer<S>, UnsafePointer<S>, Int) -> Void) {
    let n = x.count
    if n == 0 { return }
    x.withUnsafeMutableBufferPointer { xb in
        g.withUnsafeBufferPointer { gb in body(xb.baseAddress!, gb.baseAddress!, n) }
    }
}

/// Calls `body` with the element pointers of three tensors, the first two mutable.
@inlinable func withBuffers<S: TensorFloatingPoint>(
    _ x: inout Tensor<S>, _ a: inout Tensor<S>, _ g: Tensor<S>,
    _ body: (UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafePointer<S>, Int) -> Void) {
    let n = x.count
    if n == 0 { return }
    x.withUnsafeMutableBufferPointer { xb in
        a.withUnsafeMutableBufferPointer { ab in
            g.withUnsafeBufferPointer { gb in body(xb.baseAddress!, ab.baseAddress!, gb.baseAddress!, n) }
        }
    }
}

/// Calls `body` with the element pointers of four tensors, the first three mutable.
@inlinable func withBuffers<S: TensorFloatingPoint>(
    _ x: inout Tensor<S>, _ a: inout Tensor<S>, _ b: inout Tensor<S>, _ g: Tensor<S>,
    _ body: (UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafePointer<S>, Int) -> Void) {
    let n = x.count
    if n == 0 { return }
    x.withUnsafeMutableBufferPointer { xb in
        a.withUnsafeMutableBufferPointer { ab in
            b.withUnsafeMutableBufferPointer { bb in
                g.withUnsafeBufferPointer { gb in
                    body(xb.baseAddress!, ab.baseAddress!, bb.baseAddress!, gb.baseAddress!, n)
                }
            }
        }
    }
}

/// Calls `body` with the element pointers of five tensors, the first four mutable.
@inlinable func withBuffers<S: TensorFloatingPoint>(
    _ x: inout Tensor<S>, _ a: inout Tensor<S>, _ b: inout Tensor<S>, _ c: inout Tensor<S>, _ g: Tensor<S>,
    _ body: (UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>,
             UnsafeMutablePointer<S>, UnsafePointer<S>, Int) -> Void) {
    let n = x.count
    if n == 0 { return }
    x.withUnsafeMutableBufferPointer { xb in
        a.withUnsafeMutableBufferPointer { ab in
            b.withUnsafeMutableBufferPointer { bb in
                c.withUnsafeMutableBufferPointer { cb in
                    g.withUnsafeBufferPointer { gb in
                        body(xb.baseAddress!, ab.baseAddress!, bb.baseAddress!, cb.baseAddress!, gb.baseAddress!, n)
                    }
                }
            }
        }
    }
}

/// ATen's `lerp(self, end, weight)`: `self + w·(end − self)` for |w| < 0.5, else
/// `end − (end − self)·(1 − w)`, each a fused multiply-add.
@inlinable @inline(__always) func lerp<S: TensorFloatingPoint>(_ a: S, _ b: S, _ w: S) -> S {
    w.magnitude < 0.5 ? a.addingProduct(w, b - a) : b.addingProduct(-(b - a), 1 - w)
}

/// The gradient term of one element: negated when maximizing, plus `weightDecay·x` (ATen's
/// `grad.add(param, alpha=weight_decay)`, fused) when the decay is coupled.
@inlinable @inline(__always) func decayedGradient<S: TensorFloatingPoint>(
    _ g: S, _ x: S, maximize: Bool, weightDecay: S, coupled: Bool) -> S {
    let g = maximize ? -g : g
    return coupled ? g.addingProduct(weightDecay, x) : g
}
