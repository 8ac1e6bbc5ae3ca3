import Testing
import NablaTraining

/// The demo's spiral classifier (SpiralExample, the same code and seeds as `nabla-demo`).
@Suite("Spiral classifier (003)")
struct SpiralTests {
    @Test func reachesNinetyNinePercent() throws {
        let run = try SpiralExample.train(progress: ProgressDisplay(mode: .off))
        #expect(run.accuracy >= 0.99, "training accuracy \(run.accuracy)")
        #expect(run.history.count <= 3000)
        #expect(run.history["loss"].last! < 0.1)
    }
}
