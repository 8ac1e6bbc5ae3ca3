import Foundation
import Testing
import Nabla
import _NablaTestSupport

/// The encoder on both sides: two post-norm layers (d_model 16, 4 heads, feed-forward 32, batch
/// first) and a final LayerNorm(16).
private func encoder(using g: inout PhiloxGenerator) -> TransformerEncoder<Float> {
    TransformerEncoder(TransformerEncoderLayer(dModel: 16, numHeads: 4, dimFeedforward: 32, batchFirst: true, using: &g),
                       numLayers: 2, norm: LayerNorm(16))
}

private let torchEncoder = """
import sys, torch, torch.nn as nn
from safetensors.torch import save_file, load_file
def encoder(): return nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True), 2,
                                            norm=nn.LayerNorm(16))
d = sys.argv[1]
"""

@Suite("PyTorch sequence-model interop", .enabled(if: pythonHasTorch, "needs python3 with torch and safetensors"))
struct PyTorchSequenceInteropTests {
    /// PyTorch's inference fast path (evaluation, no gradients, batch first, padding at the end of
    /// each sequence) runs the layers on nested tensors and puts zeros at padded positions before
    /// the final norm; its training path, like Nabla, computes them. Both agree elsewhere.
    @Test("a PyTorch TransformerEncoder saved as safetensors loads unchanged and gives PyTorch's outputs to 1e-5")
    func encoderFromPytorch() throws {
        let dir = NSTemporaryDirectory() + "nabla-encoder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = torchEncoder + "\n" + """
        torch.manual_seed(0)
        m = encoder()
        opt = torch.optim.Adam(m.parameters(), lr=0.01)
        for _ in range(3):   # trained a little, so the two layers (deep copies) differ
            x = torch.randn(4, 6, 16)
            loss = (m(x) ** 2).mean(); opt.zero_grad(); loss.backward(); opt.step()
        save_file(m.state_dict(), d + '/encoder.safetensors')
        x = torch.randn(3, 6, 16)
        padding = torch.tensor([[False] * 6, [False] * 4 + [True] * 2, [False] * 2 + [True] * 4])
        m.eval()
        y = m(x, src_key_padding_mask=padding)                                # the reference path
        with torch.no_grad(): y_fast = m(x, src_key_padding_mask=padding)   # the nested-tensor fast path
        assert (y_fast[2, 2:] - m.norm(torch.zeros(16))).abs().max() < 1e-6   # zeros at padding, then the norm
        save_file({'x': x, 'padding': padding.float(), 'y': y.detach(), 'y_fast': y_fast}, d + '/io.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let weights = try Checkpoint(contentsOf: dir + "/encoder.safetensors")
        let io = try Checkpoint(contentsOf: dir + "/io.safetensors")
        var g = PhiloxGenerator(seed: 1)
        let model = encoder(using: &g)
        #expect(Set(model.stateDict().names) == Set(weights.names) && weights.names.contains("layers.1.self_attn.in_proj_weight"))
        try model.load(stateDict: try stateDict(weights))
        model.eval()
        let padding = try io.tensor("padding", as: Float.self).map { $0 != 0 }
        let y = model(Variable(try io.tensor("x", as: Float.self)), mask: nil, keyPaddingMask: .disallowed(padding)).value
        let expected = try io.tensor("y", as: Float.self)
        #expect(allClose(y, expected, rtol: 1e-5, atol: 1e-5), "\(y) vs \(expected)")
        let fast = try io.tensor("y_fast", as: Float.self)
        for (sequence, length) in [(0, 6), (1, 4), (2, 2)] {
            #expect(allClose(y[sequence, 0..<length], fast[sequence, 0..<length], rtol: 1e-5, atol: 1e-5), "sequence \(sequence)")
        }
    }

    @Test("a Nabla TransformerEncoder saved as safetensors loads into PyTorch with strict=True and gives Nabla's outputs")
    func encoderToPytorch() throws {
        let dir = NSTemporaryDirectory() + "nabla-encoder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = PhiloxGenerator(seed: 7)
        let model = encoder(using: &g)
        // Distinct layers and a non-trivial final norm.
        for (_, p) in model.namedParameters { p.value = p.value + Tensor<Float>.randomNormal(p.shape, using: &g) * 0.1 }
        model.eval()
        let x = Tensor<Float>.randomNormal([2, 5, 16], using: &g)
        let y = model(Variable(x), mask: nil, isCausal: true).value
        try checkpoint(model.stateDict()).save(to: dir + "/nabla.safetensors")
        try Checkpoint([("x", AnyTensor(x))]).save(to: dir + "/x.safetensors")
        let script = torchEncoder + "\n" + """
        m = encoder()
        m.load_state_dict(load_file(d + '/nabla.safetensors'), strict=True)
        m.eval()
        causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
        with torch.no_grad(): y = m(load_file(d + '/x.safetensors')['x'], mask=causal)
        save_file({'y': y}, d + '/y.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        let yTorch = try Checkpoint(contentsOf: dir + "/y.safetensors").tensor("y", as: Float.self)
        #expect(allClose(y, yTorch, rtol: 1e-5, atol: 1e-5), "\(y) vs \(yTorch)")
    }

    @Test("PyTorch's circular-padded Conv1d and bidirectional LSTM with proj_size load unchanged and give PyTorch's outputs to 1e-5")
    func convolutionAndProjectedLSTMFromPytorch() throws {
        let dir = NSTemporaryDirectory() + "nabla-lstm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
        import sys, torch, torch.nn as nn
        from safetensors.torch import save_file
        d = sys.argv[1]
        torch.manual_seed(0)
        conv = nn.Conv1d(5, 5, 3, padding='same', padding_mode='circular')
        lstm = nn.LSTM(5, 8, num_layers=2, batch_first=True, bidirectional=True, proj_size=3)
        save_file(conv.state_dict(), d + '/conv.safetensors')
        save_file(lstm.state_dict(), d + '/lstm.safetensors')
        x = torch.randn(2, 7, 5)
        with torch.no_grad(): y, (h, c) = lstm(conv(x.transpose(1, 2)).transpose(1, 2))
        save_file({'x': x, 'y': y.contiguous(), 'h': h, 'c': c}, d + '/io.safetensors')
        """
        let r = try #require(runPython(script, [dir]))
        try #require(r.status == 0, "\(r.output)")
        var g = PhiloxGenerator(seed: 1)
        let conv = Conv1d<Float>(5, 5, kernelSize: 3, padding: .same, paddingMode: .circular, using: &g)
        let lstm = LSTM<Float>(inputSize: 5, hiddenSize: 8, numLayers: 2, batchFirst: true, bidirectional: true, projSize: 3, using: &g)
        try conv.load(stateDict: try stateDict(try Checkpoint(contentsOf: dir + "/conv.safetensors")))
        try lstm.load(stateDict: try stateDict(try Checkpoint(contentsOf: dir + "/lstm.safetensors")))
        let io = try Checkpoint(contentsOf: dir + "/io.safetensors")
        let x = Variable(try io.tensor("x", as: Float.self))
        let (y, state) = lstm(conv(x.transposed(1, 2)).transposed(1, 2))
        for (name, value) in [("y", y.value), ("h", state.hidden.value), ("c", state.cell.value)] {
            let expected = try io.tensor(name, as: Float.self)
            #expect(allClose(value, expected, rtol: 1e-5, atol: 1e-5), "\(name): \(value) vs \(expected)")
        }
    }
}
