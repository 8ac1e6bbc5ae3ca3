// The Nabla demo: the seeds' worked examples, run end to end. Grows with each package.
import Nabla

func section(_ title: String) { print("\n== \(title)") }

section("Forward propagation (002: H = relu(W·X + b), W 4×3, X 3×1)")
let W: Tensor<Double> = [[1, 2, 3], [-1, 0, 1], [0.5, -1, 0], [-2, -2, -2]]
let X: Tensor<Double> = [[1], [2], [3]]
let b: Tensor<Double> = [[0.5], [-3], [1], [1]]
print((W.matmul(X) + b).relu())

section("Broadcasting (004: C = A + b adds b to every row)")
let A: Tensor<Double> = [[1, 2, 3], [4, 5, 6]]
print(A + Tensor<Double>([10, 20, 30]))

section("Matrix products are not commutative (AB ≠ BA)")
let P: Tensor<Double> = [[1, 2], [3, 4]], Q: Tensor<Double> = [[0, 1], [1, 0]]
print("AB =", P.matmul(Q).scalars, " BA =", Q.matmul(P).scalars)

section("Reductions and statistics")
print("mean per column:", A.mean(axis: 0).scalars, " covariance of samples:\n\(A.transposed().covariance())")

section("Reproducible random numbers (Philox)")
let z = Tensor<Double>.randomNormal([100_000], seed: 0)
print("100k standard normals: mean \(z.mean().scalar), std \(z.standardDeviation().scalar)")
