// The Nabla demo: the spiral classifier of the course (003), trained with the progress display,
// then (with --tour) the seeds' other worked examples.
//   swift run -c release nabla-demo [output-directory] [--tour]
import Foundation
import Nabla

let arguments = CommandLine.arguments.dropFirst()
let outputDirectory = arguments.first { !$0.hasPrefix("--") } ?? "."

func section(_ title: String) { print("\n== \(title)") }
/// Rounds to 12 decimals for printing, and turns -0.0 into 0.0.
func roundedForDisplay(_ x: Double) -> Double { (x * 1e12).rounded() / 1e12 + 0 }

section("The spiral classifier (003): 2-100-3 ReLU network, cross-entropy, Adam lr 1e-2, full batch")
do {
    // The same code path and seeds as the test that asserts ≥ 99% (SpiralExample in NablaTraining).
    let run = try SpiralExample.train(steps: 1000, progress: ProgressDisplay(lineEvery: 250))
    print("training accuracy: \(String(format: "%.1f", run.accuracy * 100))% on \(run.data.labels.count) points")
    try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
    let loss = "\(outputDirectory)/spiral-loss.svg", regions = "\(outputDirectory)/spiral-regions.svg"
    try run.lossFigure().write(to: loss)
    try run.regionsFigure().write(to: regions)
    print("wrote \(loss) and \(regions)")
} catch {
    print("spiral training failed: \(error)")
    exit(1)
}

guard arguments.contains("--tour") else {
    print("\n(run with --tour for the seeds' other worked examples)")
    exit(0)
}

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

section("einsum (000: y = np.einsum('ij, j', A, x), C = np.einsum('ik, kj', A, B))")
let x3: Tensor<Double> = [1, 0, -1]
print("einsum('ij, j') =", einsum("ij, j", A, x3).scalars, " A·x =", A.matmul(x3).scalars)
print("einsum('ik, kj') =", einsum("ik, kj", P, Q).scalars, " trace 'ii' =", einsum("ii", P).scalar)

section("Linear algebra (004): norms, A⁻¹A = I, Ax = b, A = QΛQᵀ, A = V diag(λ) V⁻¹")
let v: Tensor<Double> = [3, -4]
print("‖v‖₁ = \(v.norm(p: 1).scalar), ‖v‖₂ = \(v.norm().scalar), ‖v‖∞ = \(v.norm(p: .infinity).scalar)")
do {
    let M: Tensor<Double> = [[4, 1], [2, 3]]
    print("M⁻¹M =", try M.inverse().matmul(M).scalars.map(roundedForDisplay))
    print("solve(M, [1, 2]) =", try M.solve(Tensor<Double>([1, 2])).scalars)
    let S: Tensor<Double> = [[2, 1], [1, 2]]
    let (lambda, Qm) = try S.eigh()
    print("eigh([[2,1],[1,2]]): λ =", lambda.scalars, " QΛQᵀ =",
          Qm.matmul(Tensor.diagonal(lambda)).matmul(Qm.transposed()).scalars.map(roundedForDisplay))
    let R: Tensor<Double> = [[0, -1], [1, 0]]   // a rotation by 90°: eigenvalues ±i
    let (mu, _) = try R.eig()
    print("eig(rotation) =", mu.scalars)
} catch {
    print("linear algebra failed: \(error)")
}

section("Reductions and statistics")
print("mean per column:", A.mean(axis: 0).scalars, " covariance of samples:\n\(A.transposed().covariance())")

section("Reproducible random numbers (Philox)")
let z = Tensor<Double>.randomNormal([100_000], seed: 0)
print("100k standard normals: mean \(z.mean().scalar), std \(z.standardDeviation().scalar)")

section("Differentiation (001, 002): reverse and forward mode")
// f(a, b) = log(ab) at (2, 3): log 6 = 1.791759469, ∇f = (1/2, 1/3)
let (fab, (da, db)) = valueWithGradient(at: Tensor<Double>(2), Tensor<Double>(3)) { a, b in (a * b).log() }
print("log(ab) at (2,3) = \(fab.scalar), ∂/∂a = \(da.scalar), ∂/∂b = \(db.scalar)")
// z = sin(x₁) + x₁x₂ at (2, 3): ∂z/∂x₁ = cos 2 + 3 = 2.583853163 in both modes
let zx = gradient(at: Tensor<Double>([2, 3])) { x in x[0].sin() + x[0] * x[1] }
let zt = jvp(at: Tensor<Double>([2, 3]), tangent: Tensor<Double>([1, 0])) { x in x[0].sin() + x[0] * x[1] }
print("∇z reverse = \(zx.scalars), ∂z/∂x₁ forward = \(zt.tangent.scalar)")
// x0³ − 2x0x1 − x1⁶ at (1, 2): Hessian [[6, −2], [−2, −480]]
let hess = hessian(at: Tensor<Double>([1, 2])) { x in x[0].pow(3) - 2 * x[0] * x[1] - x[1].pow(6) }
print("Hessian of x0³ − 2x0x1 − x1⁶ at (1, 2):\n\(hess)")

section("Checkpoints: save atomically, reload (every checksum verified)")
do {
    var checkpoint = Checkpoint()
    checkpoint.set("layers.0.weight", W.converted(to: Float.self))
    checkpoint.set("layers.0.bias", b.converted(to: Float.self).reshaped(4))
    checkpoint.metadata["step"] = .int(1)
    let path = "/tmp/nabla-demo-\(UInt32.random(in: 0...UInt32.max)).nabla"
    try checkpoint.save(to: path)
    let reloaded = try Checkpoint(contentsOf: path)
    print("saved and reloaded \(reloaded.count) tensors, identical: \(reloaded == checkpoint)")
    try? FileManager.default.removeItem(atPath: path)
} catch {
    print("checkpoint failed: \(error)")
}
