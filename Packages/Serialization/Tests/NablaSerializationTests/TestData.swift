import Foundation
@testable import NablaSerialization

/// SplitMix64: deterministic bytes for test tensors.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestData {
    /// A tensor of `type` and `shape` with random bytes (bools 0/1).
    static func random(_ type: ElementType, _ shape: [Int], seed: UInt64) -> AnyTensor {
        var rng = SplitMix64(seed: seed)
        let n = Shape.count(shape) * type.byteSize
        let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        return AnyTensor(elementType: type, shape: shape, bytes: type == .bool ? bytes.map { $0 & 1 } : bytes)
    }

    /// One tensor of every Nabla dtype, in several shapes (rank 0, empty, odd sizes), plus metadata.
    static func everyDType(includeFloat8: Bool = false, excluding: Set<ElementType> = []) -> Checkpoint {
        var c = Checkpoint()
        var seed: UInt64 = 1
        let types = ElementType.allCases.filter { (includeFloat8 || $0.dtype != nil) && !excluding.contains($0) }
        for t in types {
            for (k, shape) in [[3, 5], [], [0, 4], [7]].enumerated() {
                c["\(t.description).\(k)"] = random(t, shape, seed: seed)
                seed += 1
            }
        }
        c.metadata = ["step": .int(12), "config": .object([("hidden", .int(64)), ("act", .string("gelu"))]),
                      "note": .string("héllo \"quoted\"\n")]
        return c
    }

    /// Gaussian-like Float weights (Box–Muller from SplitMix64), compressible the way real weights are.
    static func gaussian(_ n: Int, seed: UInt64) -> Tensor<Float> {
        var rng = SplitMix64(seed: seed)
        return Tensor<Float>(shape: [n], scalars: (0..<n).map { _ in
            let u1 = Double(rng.next() >> 11 + 1) * 0x1p-53, u2 = Double(rng.next() >> 11) * 0x1p-53
            return Float(0.02 * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
        })
    }

    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "nabla-serialization-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

extension Checkpoint {
    /// The checkpoint without metadata (for formats that cannot store it).
    var withoutMetadata: Checkpoint { var c = self; c.metadata = [:]; return c }
}
