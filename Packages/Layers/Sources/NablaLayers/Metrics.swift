import NablaTensor
import NablaAutograd

/// The fraction of samples whose predicted class (the arg-max of `logits` over the last axis)
/// equals `labels`. Mirrors `torchmetrics`' multiclass accuracy (micro average).
public func accuracy<S: TensorFloatingPoint>(logits: Tensor<S>, labels: Tensor<Int>) -> Double {
    accuracy(predictions: logits.argmax(axis: -1), labels: labels)
}

/// The fraction of positions where `predictions` equals `labels`.
public func accuracy<T: TensorScalar & Equatable>(predictions: Tensor<T>, labels: Tensor<T>) -> Double {
    precondition(predictions.shape == labels.shape, "accuracy: predictions \(predictions.shape) and labels \(labels.shape) differ")
    guard predictions.count > 0 else { return 0 }
    let right = zip(predictions.scalars, labels.scalars).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    return Double(right) / Double(predictions.count)
}

/// The zero-one error `1 − accuracy`: the fraction of positions where `predictions` differs from `labels`.
public func zeroOneError<T: TensorScalar & Equatable>(predictions: Tensor<T>, labels: Tensor<T>) -> Double {
    1 - accuracy(predictions: predictions, labels: labels)
}

/// The confusion matrix `[classes, classes]`: entry `[i, j]` counts samples of true class `i`
/// predicted as `j` (scikit-learn's `confusion_matrix` layout).
/// - Precondition: every label and prediction is in `0..<classes`.
public func confusionMatrix(predictions: Tensor<Int>, labels: Tensor<Int>, classes: Int) -> Tensor<Int> {
    precondition(predictions.shape == labels.shape, "confusionMatrix: predictions \(predictions.shape) and labels \(labels.shape) differ")
    var counts = [Int](repeating: 0, count: classes * classes)
    for (p, y) in zip(predictions.scalars, labels.scalars) {
        precondition(p >= 0 && p < classes && y >= 0 && y < classes, "confusionMatrix: class \(y) or \(p) outside 0..<\(classes)")
        counts[y * classes + p] += 1
    }
    return Tensor(shape: [classes, classes], scalars: counts)
}

/// `Σ |w|` over the parameters of `container` that `include` accepts (by dotted name; all by
/// default): the L1 regularizer `Ω(w)` of empirical risk minimization, to add as `λ·Ω(w)`.
public func l1Penalty<C: ParameterContainer>(_ container: C, where include: (String) -> Bool = { _ in true }) -> Variable<C.Scalar> {
    var total = Variable(Tensor<C.Scalar>(0))
    for (name, p) in container.namedParameters where include(name) { total = total + p.variable.abs().sum() }
    return total
}

/// `Σ w²` over the parameters of `container` that `include` accepts (all by default): the squared
/// L2 norm, the `Ω(w) = ‖w‖²` of ridge regression and weight decay. Add it as `λ·Ω(w)`; pass
/// `where: { $0.hasSuffix("weight") }` to leave biases unpenalized.
public func l2Penalty<C: ParameterContainer>(_ container: C, where include: (String) -> Bool = { _ in true }) -> Variable<C.Scalar> {
    var total = Variable(Tensor<C.Scalar>(0))
    for (name, p) in container.namedParameters where include(name) { total = total + p.variable.squared().sum() }
    return total
}
