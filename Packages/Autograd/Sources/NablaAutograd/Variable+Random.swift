import NablaTensor

// Random primitives that follow `vmap`'s rule for random numbers: inside `vmap`, element `i` of a
// batch draws from stream `i` of the generator (`PhiloxGenerator.stream(_:)`: the same counter
// under a key derived from `i`), so its numbers do not depend on the batch size and equal those of
// the unbatched call given that stream. Nested `vmap`s take streams of streams, outermost level
// first. Outside `vmap` these are the plain draws of `Tensor.randomNormal` and friends. Either
// way the generator advances exactly as one unbatched draw would, so what is drawn after a
// batched call does not depend on the batch size either.

extension Variable {
    /// `draw` for one element of every enclosing `vmap` (see the file comment), as a constant
    /// batched over those levels; the plain draw outside `vmap`.
    @usableFromInline static func drawingPerElement(
        _ shape: [Int], using generator: inout PhiloxGenerator,
        _ draw: ([Int], inout PhiloxGenerator) -> Tensor<Scalar>) -> Variable {
        let c = Context.current
        guard !c.liveLevels.isEmpty else { return Variable(draw(shape, &generator)) }
        var streams = [generator]
        for size in c.liveSizes { streams = streams.flatMap { g in (0..<size).map { g.stream($0) } } }
        let parts = streams.map { g -> Tensor<Scalar> in
            var g = g
            return draw(shape, &g)
        }
        generator.advance(blocks: UInt64((Shape.count(shape) + 3) / 4))
        let value = stack(parts).reshaped(c.liveSizes + shape)
        return Variable(value, node: nil, batch: BatchTag(levels: c.liveLevels, sizes: c.liveSizes))
    }

    /// Normal samples of per-example shape `shape`, a constant. Outside `vmap`, the values of
    /// `Tensor.randomNormal(_:mean:standardDeviation:using:)`; inside, element `i` draws from
    /// `generator.stream(i)` (streams of streams for nested `vmap`s, outermost first), so
    /// `vmap(f)(x)[i]` equals `f(x[i])` run with that stream, for any batch size. Mirrors
    /// `torch.randn` under `torch.func.vmap(randomness="different")`, with JAX's split-key rule.
    ///
    /// ```swift
    /// var g = PhiloxGenerator(seed: 1)
    /// let noisy = vmap { (x: Variable<Double>) in x + Variable.randomNormal(x.shape, using: &g) }(xs)
    /// // row i: xs[i] + Tensor.randomNormal(xs[i].shape, using: &stream), stream = g₀.stream(i)
    /// ```
    /// The generator advances as by one unbatched draw of `shape`.
    public static func randomNormal(_ shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
                                    using generator: inout PhiloxGenerator) -> Variable {
        drawingPerElement(shape, using: &generator) { s, g in
            Tensor.randomNormal(s, mean: mean, standardDeviation: standardDeviation, using: &g)
        }
    }

    /// Uniform samples in `range` of per-example shape `shape`, a constant; inside `vmap`, element
    /// `i` draws from `generator.stream(i)` (see ``randomNormal(_:mean:standardDeviation:using:)``).
    /// Mirrors `torch.rand` under `vmap`.
    public static func randomUniform(_ shape: [Int], in range: Range<Scalar> = 0..<1,
                                     using generator: inout PhiloxGenerator) -> Variable {
        drawingPerElement(shape, using: &generator) { s, g in Tensor.randomUniform(s, in: range, using: &g) }
    }

    /// A mask of per-example shape `shape` holding 1 with probability `probability` and 0
    /// otherwise (1 where a uniform draw `u` of ``randomUniform(_:in:using:)`` has `u < probability`),
    /// a constant; inside `vmap`, element `i` draws from `generator.stream(i)`. Mirrors
    /// `torch.bernoulli(torch.full(shape, p))`; dropout keeps `1 − mask` for `p` the drop rate.
    ///
    /// - Precondition: `0 ≤ probability ≤ 1`.
    public static func randomBernoulli(_ shape: [Int], probability: Scalar,
                                       using generator: inout PhiloxGenerator) -> Variable {
        precondition(probability >= 0 && probability <= 1,
                     "Variable.randomBernoulli: probability must be in [0, 1], got \(probability)")
        return drawingPerElement(shape, using: &generator) { s, g in
            Tensor<Scalar>.randomUniform(s, using: &g).map { $0 < probability ? 1 : 0 }
        }
    }
}
