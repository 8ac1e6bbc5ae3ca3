import NablaLayers

/// The values scripts/torch_layers_reference.py wrote into TorchReference.swift, parsed once.
enum TorchReference {
    static let cases: [String: [String: Tensor<Double>]] = {
        var out: [String: [String: Tensor<Double>]] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: false)
            let shape = f[2].isEmpty ? [] : f[2].split(separator: ",").map { Int($0)! }
            let values = f[3].split(separator: ",").map { Double($0)! }
            out[String(f[0]), default: [:]][String(f[1])] = Tensor(shape: shape, scalars: values)
        }
        return out
    }()

    /// The tensor `key` of `name`.
    static func tensor(_ name: String, _ key: String) -> Tensor<Double> {
        guard let t = cases[name]?[key] else { fatalError("TorchReference: no \(key) in \(name)") }
        return t
    }

    /// Whether `name` has `key`.
    static func has(_ name: String, _ key: String) -> Bool { cases[name]?[key] != nil }

    /// The module's PyTorch state dict (`num_batches_tracked` as Int64, as torch stores it).
    static func stateDict(_ name: String, prefix: String = "state.") -> StateDict<Double> {
        var d = StateDict<Double>()
        for key in cases[name]!.keys.sorted() where key.hasPrefix(prefix) {
            let n = String(key.dropFirst(prefix.count)), t = cases[name]![key]!
            d[n] = n.hasSuffix("num_batches_tracked") ? .integer(t.map { Int64($0) }) : .floating(t)
        }
        return d
    }
}
