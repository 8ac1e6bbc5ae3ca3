import Foundation
import Testing
import Nabla
import _NablaTestSupport

let pythonHasTorch: Bool = runPython("import torch, safetensors")?.status == 0

/// A state dict from a safetensors checkpoint: `int64` entries (`num_batches_tracked`) as integers,
/// floating-point entries converted losslessly to `Float`.
func stateDict(_ c: Checkpoint) throws -> StateDict<Float> {
    var d = StateDict<Float>()
    for (name, t) in c.tensors {
        d[name] = t.elementType == .int64 ? .integer(try t.tensor(as: Int64.self)) : .floating(try t.tensor(as: Float.self))
    }
    return d
}

/// A checkpoint of a state dict, in the state dict's order.
func checkpoint(_ d: StateDict<Float>) -> Checkpoint {
    Checkpoint(d.map { name, t in
        switch t {
        case .floating(let f): (name, AnyTensor(f))
        case .integer(let i): (name, AnyTensor(i))
        }
    })
}

/// The architecture on both sides: Linear(4, 8) → BatchNorm1d(8) → ReLU → Linear(8, 3).
private func mlp(using g: inout PhiloxGenerator) -> Sequential<Float> {
    Sequential(Linear(4, 8, using: &g), BatchNorm1d(8), ReLU(), Linear(8, 3, using: &g))
}

private let torchModel = """
import sys, torch, torch.nn as nn
from safetensors.torch import save_file, load_file
def mlp(): return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
d = sys.argv[1]
"""

@Suite("PyTorch layers interop", .enabled(if: pythonHasTorch, "needs python3 with torch and safetensors"))
struct PyTorchLayersInteropTests {
    @Test("a PyTorch MLP with batch norm saved as safetensors loads unchanged and gives PyTorch's outputs")
    func pytorchToNabla() throws {
        let dir = NSTemporaryDirectory() + "nabla-layers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = torchModel + "\n" + """
        torch.manual_seed(0)
        m = mlp()
        opt = torch.optim.SGD(m.parameters(), lr=0.1)
        for _ in range(5):   # trained a little: running statistics and num_batches_tracked move
            x = torch.randn(16, 4) * 2 + 1
            loss = (m(x) ** 2).mean(); opt.zero_grad(); loss.backward(); opt.step()
        save_file(m.state_dict(), d + '/model.safetensors')
        x = torch.randn(6, 4)
        with torch.no_grad():
            m.eval(); y_eval = m(x)
            m.train(); y_train = m(x)
        save_file({'x': x, 'y_eval': y_eval, 'y_train': y_train}, d + '/io.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let weights = try Checkpoint(contentsOf: dir + "/model.safetensors")
        #expect(weights["1.num_batches_tracked"]?.elementType == .int64)
        let io = try Checkpoint(contentsOf: dir + "/io.safetensors")
        let x = try io.tensor("x", as: Float.self)

        var g = PhiloxGenerator(seed: 1)
        let model = mlp(using: &g)
        try model.load(stateDict: try stateDict(weights))
        #expect(model.stateDict().names == weights.names.sorted { a, b in
            model.stateDict().names.firstIndex(of: a)! < model.stateDict().names.firstIndex(of: b)! })
        model.eval()
        let yEval = model(x).value, expectedEval = try io.tensor("y_eval", as: Float.self)
        #expect(allClose(yEval, expectedEval, rtol: 1e-5, atol: 1e-5), "eval: \(yEval) vs \(expectedEval)")
        model.train()
        let yTrain = model(x).value, expectedTrain = try io.tensor("y_train", as: Float.self)
        #expect(allClose(yTrain, expectedTrain, rtol: 1e-5, atol: 1e-5), "train: \(yTrain) vs \(expectedTrain)")
        #expect((model[1] as! BatchNorm1d<Float>).batchesTracked?.integers.scalar == 6)
    }

    @Test("Nabla weights saved as safetensors load into PyTorch with strict=True and give Nabla's outputs")
    func nablaToPytorch() throws {
        let dir = NSTemporaryDirectory() + "nabla-layers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = PhiloxGenerator(seed: 7)
        let model = mlp(using: &g)
        for _ in 0..<3 { _ = model(Tensor<Float>.randomNormal([16, 4], mean: 1, standardDeviation: 2, using: &g)) }
        let x = Tensor<Float>.randomNormal([6, 4], using: &g)
        model.eval()
        let y = model(x).value
        try checkpoint(model.stateDict()).save(to: dir + "/nabla.safetensors")
        try Checkpoint([("x", AnyTensor(x))]).save(to: dir + "/x.safetensors")
        let script = torchModel + "\n" + """
        m = mlp()
        m.load_state_dict(load_file(d + '/nabla.safetensors'), strict=True)
        assert m[1].num_batches_tracked.dtype == torch.int64 and int(m[1].num_batches_tracked) == 3
        m.eval()
        with torch.no_grad(): y = m(load_file(d + '/x.safetensors')['x'])
        save_file({'y': y}, d + '/y.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let yTorch = try Checkpoint(contentsOf: dir + "/y.safetensors").tensor("y", as: Float.self)
        #expect(allClose(y, yTorch, rtol: 1e-5, atol: 1e-5), "\(y) vs \(yTorch)")
    }
}

/// The CNN on both sides: Conv2d(3, 4, 3, padding=1) → BatchNorm2d(4) → ReLU → MaxPool2d(2) →
/// Flatten → Linear(4·4·4, 5), for `[N, 3, 8, 8]` images.
private func cnn(using g: inout PhiloxGenerator) -> Sequential<Float> {
    Sequential(Conv2d(3, 4, kernelSize: 3, padding: 1, using: &g), BatchNorm2d(4), ReLU(), MaxPool2d(kernelSize: 2),
               Flatten(), Linear(4 * 4 * 4, 5, using: &g))
}

private let torchCNN = """
import sys, torch, torch.nn as nn
from safetensors.torch import save_file, load_file
def cnn(): return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                nn.Flatten(), nn.Linear(4 * 4 * 4, 5))
d = sys.argv[1]
"""

@Suite("PyTorch CNN interop", .enabled(if: pythonHasTorch, "needs python3 with torch and safetensors"))
struct PyTorchCNNInteropTests {
    @Test("a PyTorch CNN with batch norm saved as safetensors loads unchanged and gives PyTorch's outputs to 1e-5")
    func pytorchToNabla() throws {
        let dir = NSTemporaryDirectory() + "nabla-cnn-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = torchCNN + "\n" + """
        torch.manual_seed(0)
        m = cnn()
        opt = torch.optim.SGD(m.parameters(), lr=0.05)
        for _ in range(4):   # trained a little: running statistics and num_batches_tracked move
            x = torch.randn(8, 3, 8, 8) * 1.5 + 0.5
            loss = (m(x) ** 2).mean(); opt.zero_grad(); loss.backward(); opt.step()
        save_file(m.state_dict(), d + '/cnn.safetensors')
        x = torch.randn(3, 3, 8, 8)
        with torch.no_grad():
            m.eval(); y_eval = m(x)
            m.train(); y_train = m(x)
        save_file({'x': x, 'y_eval': y_eval, 'y_train': y_train}, d + '/io.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let weights = try Checkpoint(contentsOf: dir + "/cnn.safetensors")
        let io = try Checkpoint(contentsOf: dir + "/io.safetensors")
        let x = try io.tensor("x", as: Float.self)

        var g = PhiloxGenerator(seed: 1)
        let model = cnn(using: &g)
        #expect(Set(model.stateDict().names) == Set(weights.names))
        let report = try model.load(stateDict: try stateDict(weights))
        #expect(report.missing.isEmpty && report.unexpected.isEmpty)
        model.eval()
        let yEval = model(x).value, expectedEval = try io.tensor("y_eval", as: Float.self)
        #expect(allClose(yEval, expectedEval, rtol: 1e-5, atol: 1e-5), "eval: \(yEval) vs \(expectedEval)")
        model.train()
        let yTrain = model(x).value, expectedTrain = try io.tensor("y_train", as: Float.self)
        #expect(allClose(yTrain, expectedTrain, rtol: 1e-5, atol: 1e-5), "train: \(yTrain) vs \(expectedTrain)")
        #expect((model[1] as! BatchNorm2d<Float>).batchesTracked?.integers.scalar == 5)
    }

    @Test("Nabla CNN weights saved as safetensors load into PyTorch with strict=True and give Nabla's outputs")
    func nablaToPytorch() throws {
        let dir = NSTemporaryDirectory() + "nabla-cnn-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = PhiloxGenerator(seed: 7)
        let model = cnn(using: &g)
        for _ in 0..<3 { _ = model(Tensor<Float>.randomNormal([8, 3, 8, 8], mean: 0.5, standardDeviation: 1.5, using: &g)) }
        let x = Tensor<Float>.randomNormal([3, 3, 8, 8], using: &g)
        model.eval()
        let y = model(x).value
        try checkpoint(model.stateDict()).save(to: dir + "/nabla.safetensors")
        try Checkpoint([("x", AnyTensor(x))]).save(to: dir + "/x.safetensors")
        let script = torchCNN + "\n" + """
        m = cnn()
        m.load_state_dict(load_file(d + '/nabla.safetensors'), strict=True)
        assert m[1].num_batches_tracked.dtype == torch.int64 and int(m[1].num_batches_tracked) == 3
        m.eval()
        with torch.no_grad(): y = m(load_file(d + '/x.safetensors')['x'])
        save_file({'y': y}, d + '/y.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let yTorch = try Checkpoint(contentsOf: dir + "/y.safetensors").tensor("y", as: Float.self)
        #expect(allClose(y, yTorch, rtol: 1e-5, atol: 1e-5), "\(y) vs \(yTorch)")
    }
}
