import NablaTensor

/// Test helpers shared by every Nabla package's tests. Not public API.

/// Whether `actual` and `expected` have the same shape and every element is within
/// `atol + rtol·|expected|`.
public func allClose<S: TensorFloatingPoint>(_ actual: Tensor<S>, _ expected: Tensor<S>,
                                             rtol: S = 1e-12, atol: S = 1e-12) -> Bool {
    actual.shape == expected.shape && actual.isClose(to: expected, rtol: rtol, atol: atol)
}

/// The largest absolute elementwise difference of two tensors of equal shape.
public func maxAbsDifference<S: TensorFloatingPoint>(_ a: Tensor<S>, _ b: Tensor<S>) -> S {
    precondition(a.shape == b.shape, "maxAbsDifference: shapes \(a.shape) and \(b.shape) differ")
    return (a - b).abs().max().scalar
}

/// The distance in units in the last place between two floating-point numbers.
public func ulpDistance<S: TensorFloatingPoint>(_ a: S, _ b: S) -> S {
    if a == b { return 0 }
    return (a - b).magnitude / Swift.max(a.ulp, b.ulp)
}

import Testing

/// The standard error an exit test observed, as text (empty when the exit test itself failed).
/// Use with `#expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { … }` to check
/// the message a precondition stopped with.
public func standardErrorText(_ result: ExitTest.Result?) -> String {
    guard let result else { return "" }
    return String(decoding: result.standardErrorContent, as: UTF8.self)
}
