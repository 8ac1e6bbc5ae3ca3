import Testing
import NablaSampling

@Test func smoke() throws {
    let n = try Normal<Double>(loc: 0, scale: 1)
    #expect(n.sample([10], seed: 1).count == 10)
}
