// Writes checkpoints to a path in a loop until killed. The crash-safety test spawns this process,
// SIGKILLs it at random moments and checks that the file is always one complete checkpoint.
// Usage: CheckpointWriterHelper PATH ELEMENTS FIRST-VERSION [NOISE-TENSORS]
// With NOISE-TENSORS > 0 the checkpoint also holds that many tensors of ELEMENTS hard-to-compress floats
// (`noise(tensor, i)`, element 0 replaced by the version), so that saves are large enough for the
// background flusher and several compression workers to be under way when the kill lands. They are
// computed once, and `w` keeps at most 50 000 elements then, so that most of a round's time is spent saving.
import Foundation
import NablaSerialization

let arguments = CommandLine.arguments
// With NABLA_HELPER_FSIZE=N: set the file size limit (RLIMIT_FSIZE) to N bytes, save one checkpoint of
// ELEMENTS floats once, print the error on standard error and exit 3 if it fails (0 if it worked).
// Without SIGXFSZ ignored by the writer, the kernel would kill the process with that signal instead.
if let limitText = ProcessInfo.processInfo.environment["NABLA_HELPER_FSIZE"], let limit = UInt(limitText),
   arguments.count >= 3, let n = Int(arguments[2]) {
    var rl = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
    _ = setrlimit(Int32(RLIMIT_FSIZE.rawValue), &rl)
    var ckpt = Checkpoint()
    ckpt.set("w", Tensor<Float>(shape: [n], scalars: (0..<n).map { Float(bitPattern: UInt32(truncatingIfNeeded: $0 &* 0x9E37_79B1) & 0x3FFF_FFFF) }))
    do {
        try ckpt.save(to: arguments[1])
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("\(error.localizedDescription)\n".utf8))
        exit(3)
    }
}
guard arguments.count == 4 || arguments.count == 5, let n = Int(arguments[2]), let first = Int(arguments[3]) else {
    print("usage: CheckpointWriterHelper PATH ELEMENTS FIRST-VERSION [NOISE-TENSORS]")
    exit(2)
}
let noiseTensors = arguments.count == 5 ? Int(arguments[4]) ?? 0 : 0

/// A finite float of scrambled bits, a function of its position (the test recomputes it).
func noise(_ tensor: Int, _ i: Int) -> Float {
    let h = UInt32(truncatingIfNeeded: (tensor &* 0x7F4A_7C15) ^ (i &* 0x85EB_CA6B))
    return Float(bitPattern: h & 0x3FFF_FFFF)
}
let noiseBase = (0..<noiseTensors).map { t in Tensor<Float>(shape: [n], scalars: (0..<n).map { noise(t, $0) }) }
var version = first - 1
while true {
    version += 1
    // Each version's values are a function of the version, so the reader can check them.
    let values = (0..<(noiseTensors > 0 ? min(n, 50_000) : n)).map { Float(version &* 31 &+ $0 % 1000) }
    var ckpt = Checkpoint()
    ckpt.set("w", Tensor<Float>(shape: [values.count], scalars: values))
    for t in 0..<noiseTensors {
        var x = noiseBase[t]
        x[element: 0] = Float(version)
        ckpt.set("noise.\(t)", x)
    }
    ckpt.metadata["version"] = .int(version)
    try ckpt.save(to: arguments[1])
    FileHandle.standardOutput.write(Data("saved \(version)\n".utf8))
}
