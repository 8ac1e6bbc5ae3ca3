import Foundation
import Testing
import _NablaTestSupport
import NablaTraining

private let pythonHasTorch: Bool = runPython("import torch, safetensors")?.status == 0

/// A PyTorch model's `state_dict()` saved with safetensors loads into the same Nabla architecture in
/// one call, with no renaming, and gives PyTorch's outputs.
@Suite("PyTorch safetensors in one call", .enabled(if: pythonHasTorch, "needs python3 with torch and safetensors"))
struct PyTorchLoadTests {
    @Test func loadContentsOf() throws {
        let dir = NSTemporaryDirectory() + "nabla-training-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
        import sys, torch, torch.nn as nn
        from safetensors.torch import save_file
        torch.manual_seed(0)
        m = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 3))
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        for _ in range(3):
            loss = (m(torch.randn(8, 4)) ** 2).mean(); opt.zero_grad(); loss.backward(); opt.step()
        m.eval()
        save_file(m.state_dict(), sys.argv[1] + '/model.safetensors')
        x = torch.randn(5, 4)
        with torch.no_grad(): save_file({'x': x, 'y': m(x)}, sys.argv[1] + '/io.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let model = makeModel(seed: 42)
        try model.load(contentsOf: dir + "/model.safetensors")       // strict: every key matches
        model.eval()
        let io = try Checkpoint(contentsOf: dir + "/io.safetensors")
        let y = model(try io.tensor("x", as: Float.self)).value
        let expected = try io.tensor("y", as: Float.self)
        #expect(y.shape == expected.shape)
        for (a, b) in zip(y.scalars, expected.scalars) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "\(a) vs PyTorch \(b)") }
        #expect(model.stateDict()["1.num_batches_tracked"] == .integer(Tensor<Int64>(3)))
    }
}
