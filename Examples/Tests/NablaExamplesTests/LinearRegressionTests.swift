import Testing
import Foundation
@testable import NablaExamples

@Suite struct LinearRegressionTests {
    @Test func normalEquationAndGradientDescentAgree() throws {
        let r = try linearRegression()
        for i in 0..<2 {
            #expect(abs(r.gradientDescent[i] - r.leastSquares[i]) < 1e-8)
            #expect(abs(r.qr[i] - r.leastSquares[i]) < 1e-12)
            #expect(abs(r.normalEquationInverse[i] - r.leastSquares[i]) < 1e-12)
        }
        print(r.output.lines.joined(separator: "\n"))
    }

    @Test func stepSizeIteratesAreExact() {
        let runs = stepSizeLesson(learningRates: [0.1, 0.5, 0.9, 1.0, 1.1], x0: 1, steps: 20)
        // x_k = (1 − 2·lr)^k exactly (up to rounding of 1 − 2·lr).
        #expect(runs[0].iterates[1] == 0.8)
        #expect(runs[1].iterates[1] == 0)              // lr = 0.5 jumps to the minimum in one step
        #expect(runs[3].iterates == (0...20).map { $0 % 2 == 0 ? 1.0 : -1.0 })   // lr = 1: ±1 forever
        for run in runs {
            let r = 1 - 2 * run.learningRate
            for (k, x) in run.iterates.enumerated() {
                let exact = pow(r, Double(k))
                #expect(abs(x - exact) <= 1e-12 * max(1, abs(exact)), "lr \(run.learningRate) k \(k)")
            }
        }
        #expect(runs.map(\.converges) == [true, true, true, false, false])
        #expect(abs(runs[4].iterates[20] - 38.33759992447472) < 1e-9)   // 1.2^20
        #expect(abs(runs[0].iterates[20] - 0.011529215046068483) < 1e-15)   // 0.8^20
    }
}
