/// Shape and element helpers shared by the distributions.

/// The broadcast of several shapes (NumPy rules), or `nil` when they do not broadcast.
@usableFromInline func broadcastShapes(_ shapes: [[Int]]) -> [Int]? {
    let rank = shapes.map(\.count).max() ?? 0
    var out = [Int](repeating: 1, count: rank)
    for s in shapes {
        for (i, d) in s.enumerated() {
            let j = rank - s.count + i
            if out[j] == 1 { out[j] = d } else if d != 1 && d != out[j] { return nil }
        }
    }
    return out
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// This tensor broadcast to `shape` as contiguous Doubles.
    @usableFromInline func doubles(broadcastTo shape: [Int]) -> [Double] {
        let t = self.shape == shape ? self : expanded(to: shape)
        return t.scalars.map { Double($0) }
    }
}

/// Applies `f` elementwise to tensors broadcast together, computing in Double.
@usableFromInline func elementwise<S: TensorFloatingPoint>(_ xs: [Tensor<S>], _ f: ([Double]) -> Double) -> Tensor<S> {
    guard let shape = broadcastShapes(xs.map(\.shape)) else {
        preconditionFailure("shapes \(xs.map(\.shape)) do not broadcast")
    }
    let cols = xs.map { $0.doubles(broadcastTo: shape) }
    let n = shape.reduce(1, *)
    var args = [Double](repeating: 0, count: xs.count)
    var out = [S](); out.reserveCapacity(n)
    for i in 0..<n {
        for k in 0..<cols.count { args[k] = cols[k][i] }
        out.append(S(f(args)))
    }
    return Tensor(shape: shape, scalars: out)
}

/// `true` when every element satisfies `predicate`.
@usableFromInline func allSatisfy<S: TensorFloatingPoint>(_ t: Tensor<S>, _ predicate: (S) -> Bool) -> Bool {
    t.scalars.allSatisfy(predicate)
}

/// Validates that every element of a parameter is finite and satisfies `predicate`.
@usableFromInline func check<S: TensorFloatingPoint>(_ t: Tensor<S>, _ distribution: String, _ parameter: String,
                                                     _ reason: String, _ predicate: (S) -> Bool) throws(DistributionError) {
    if !t.scalars.allSatisfy({ !$0.isNaN && predicate($0) }) {
        throw DistributionError.invalidParameter(distribution: distribution, parameter: parameter, reason: reason)
    }
}

/// The broadcast shape of parameters, or a typed error naming the distribution.
@usableFromInline func batchShapeOf(_ distribution: String, _ shapes: [[Int]]) throws(DistributionError) -> [Int] {
    guard let s = broadcastShapes(shapes) else { throw DistributionError.shapeMismatch(distribution: distribution, shapes: shapes) }
    return s
}
