import Testing
import NablaAutograd
import _NablaTestSupport
@testable import NablaOptimizers

/// Runs `steps` updates of `optimizer` on f(x) = Σ x² (gradient 2x, through autograd) and returns
/// the iterates after each step.
func minimizeSquare<O: Optimizer>(_ optimizer: O, _ p: Parameter<O.Scalar>, steps: Int) -> [[O.Scalar]] {
    var out: [[O.Scalar]] = []
    for _ in 0..<steps {
        optimizer.zeroGradients()
        (p.variable * p.variable).sum().backward()
        optimizer.step()
        out.append(p.value.scalars)
    }
    return out
}

/// Expects `actual` within `rtol` relative of `expected`, element by element.
func expectClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-15,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        let ok = a == e || (a - e).magnitude <= rtol * e.magnitude
        #expect(ok, "\(a) vs PyTorch \(e) (relative \((a - e).magnitude / e.magnitude))", sourceLocation: sourceLocation)
    }
}

/// The first coordinate of each iterate.
func firsts(_ xs: [[Double]]) -> [Double] { xs.map { $0[0] } }

/// Expects `actual` to equal `expected` bit for bit.
func expectBitwise(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() where a != e {
        Issue.record("element \(i): \(a) vs PyTorch \(e) (\(ulpDistance(a, e)) ulp)", sourceLocation: sourceLocation)
    }
}
