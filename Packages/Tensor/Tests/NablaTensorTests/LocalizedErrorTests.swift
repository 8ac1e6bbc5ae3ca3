import Testing
import Foundation
import NablaTensor

/// NablaTensor's errors are `LocalizedError`s: `localizedDescription` is the message naming the op
/// and the problem, not Foundation's generic "The operation couldn't be completed".
@Suite struct LocalizedErrorTests {
    @Test func linearAlgebraErrors() {
        let cases: [(LinearAlgebraError, String)] = [
            (.singular(op: "inverse", pivot: 3), "inverse: matrix is singular (zero pivot at 3)"),
            (.notPositiveDefinite(op: "cholesky", minor: 2), "cholesky: leading minor 2 is not positive definite"),
            (.didNotConverge(op: "svd"), "svd: the algorithm did not converge"),
            (.invalidArgument(op: "solve", info: -4), "solve: LAPACK rejected argument 4 (info = -4)"),
        ]
        for (error, message) in cases {
            #expect((error as any Error).localizedDescription == message)
            #expect(error.errorDescription == message)
        }
        // A thrown one: the singular matrix [[1, 2], [2, 4]].
        do {
            _ = try Tensor<Double>([[1, 2], [2, 4]]).inverse()
            Issue.record("inverse of a singular matrix did not throw")
        } catch {
            #expect(error.localizedDescription.hasPrefix("inverse: matrix is singular"))
        }
    }

    @Test func einsumParseError() {
        do {
            _ = try EinsumExpression(parsing: "ij->j->i")
            Issue.record("parsing did not throw")
        } catch {
            #expect(error.localizedDescription.hasPrefix("einsum: "))
            #expect(error.localizedDescription.hasSuffix("in subscripts 'ij->j->i'"))
        }
    }
}
