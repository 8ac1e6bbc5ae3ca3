import NablaTensor

// Batching of the image ops (convolutions and pooling), after JAX's `_conv_general_dilated_batch_rule`:
// a batch of images folds into the images' axis `N`; a batch of weights folds into the channels,
// one group per batch element, so a batch of convolutions is one grouped convolution.

extension Batching {
    /// `body` applied to `x` `[B, N, …]` with `B` folded into `N` (`[B·N, …]`); the result
    /// `[B·N, …]` is unfolded to `[B, N, …]`.
    @inlinable static func foldingIntoImages<S>(_ x: Variable<S>, _ body: (Variable<S>) -> Variable<S>) -> Variable<S> {
        let s = x.shape
        let y = body(x.reshaped([s[0] * s[1]] + s[2...]))
        return y.reshaped([s[0], s[1]] + y.shape[1...])
    }

    /// `x` `[B, N, C, H, W]` as `[N, B·C, H, W]`: batch element `b`'s channels become channels
    /// `b·C ..< (b+1)·C`, the group `b` of a grouped convolution.
    @inlinable static func foldingIntoChannels<S>(_ x: Variable<S>) -> Variable<S> {
        let s = x.shape
        return x.permuted([1, 0, 2, 3, 4]).reshaped([s[1], s[0] * s[2], s[3], s[4]])
    }

    /// The inverse of ``foldingIntoChannels(_:)``: `y` `[N, B·C, H, W]` as `[B, N, C, H, W]`.
    @inlinable static func unfoldingChannels<S>(_ y: Variable<S>, size: Int) -> Variable<S> {
        let s = y.shape
        return y.reshaped([s[0], size, s[1] / size, s[2], s[3]]).permuted([1, 0, 2, 3, 4])
    }

    /// A batch of weights `[B, O, …]` as `[B·O, …]`.
    @inlinable static func foldingWeights<S>(_ w: Variable<S>) -> Variable<S> {
        let s = w.shape
        return w.reshaped([s[0] * s[1]] + s[2...])
    }

    /// `geometry` with `size` times its groups: one set of groups per batch element.
    @inlinable static func grouped(_ geometry: Conv2DGeometry, size: Int) -> Conv2DGeometry {
        var g = geometry
        g.groups *= size
        return g
    }
}
