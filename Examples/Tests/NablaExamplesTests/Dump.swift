import Testing
import Foundation
import NablaData
@testable import NablaExamples

@Suite struct Dump {
    @Test func dump() throws {
        guard ProcessInfo.processInfo.environment["NABLA_EXAMPLES_DUMP"] != nil else { return }
        let d = Generators.sineRegression(count: 20, seed: 0)
        let v = Generators.sineRegression(count: 200, seed: 1)
        try (zip(d.x.scalars, d.y.scalars).map { String(format: "%.17g,%.17g", $0, $1) } + ["#"] + zip(v.x.scalars, v.y.scalars).map { String(format: "%.17g,%.17g", $0, $1) }).joined(separator: "\n").write(toFile: "/tmp/exdump.csv", atomically: true, encoding: .utf8)
        let p = try polynomialRegression()
        print("TRAIN", p.trainingError.map { String(format: "%.17g", $0) })
        print("VALID", p.validationError.map { String(format: "%.17g", $0) })
        print("RIDGE", p.bestLambda, p.ridgeValidationError.map { String(format: "%.17g", $0) })
        let m = try maximumLikelihood()
        print("MLE", String(format: "%.17g %.17g", m.exponentialClosedForm, m.sigmaSquared.closedForm), m.squaredLossMinimizer.map { String(format: "%.17g", $0) })
        let l = try linearRegression()
        print("LR", l.leastSquares.map { String(format: "%.17g", $0) })
    }
}
