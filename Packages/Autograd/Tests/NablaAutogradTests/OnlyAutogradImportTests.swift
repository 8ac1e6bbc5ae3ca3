// This file imports NablaAutograd alone (besides Testing and Foundation for `localizedDescription`):
// it compiles only if NablaAutograd re-exports NablaTensor (`Exports.swift`), so that
// `import NablaAutograd` is enough to name `Tensor`, its element types and its free functions.
import Testing
import Foundation
import NablaAutograd

@Suite struct OnlyAutogradImportTests {
    @Test func tensorIsVisibleThroughNablaAutograd() {
        let t: Tensor<Double> = [[1, 2], [3, 4]]
        let g = gradient(at: t) { ($0 * $0).sum() }
        #expect(g == Tensor([[2, 4], [6, 8]]))
        #expect(exp(Tensor<Double>(0)).scalar == 1)
        #expect(Tensor<Float>.zeros([2]).dtype == DType.float32)
        let b: Tensor<BFloat16> = [1, 2.5]
        #expect(b.count == 2)
    }

    // AutogradError is a LocalizedError whose description names the op (or the unknown name).
    @Test func autogradErrorsAreLocalized() throws {
        #expect((AutogradError.unknownOp("nope") as any Error).localizedDescription == "OpRegistry: no op named \"nope\" is registered")
        #expect(AutogradError.nonFiniteValue(op: "log").localizedDescription == "anomaly: log produced NaN or infinity")
        do {
            _ = try withAnomalyDetection { Variable(Tensor<Double>([-1]), requiresGradient: true).log() }
            Issue.record("anomaly detection did not throw")
        } catch {
            #expect(error.localizedDescription.contains("log"))
        }
    }
}
