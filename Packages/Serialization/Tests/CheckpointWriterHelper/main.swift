// Writes checkpoints to a path in a loop until killed. The crash-safety test spawns this process,
// SIGKILLs it at random moments and checks that the file is always one complete checkpoint.
// Usage: CheckpointWriterHelper PATH ELEMENTS
import Foundation
import NablaSerialization

let arguments = CommandLine.arguments
guard arguments.count == 3, let n = Int(arguments[2]) else {
    print("usage: CheckpointWriterHelper PATH ELEMENTS")
    exit(2)
}
var version = 0
while true {
    version += 1
    // Each version's values are a function of the version, so the reader can check them.
    let values = (0..<n).map { Float(version &* 31 &+ $0 % 1000) }
    var ckpt = Checkpoint()
    ckpt.set("w", Tensor<Float>(shape: [n], scalars: values))
    ckpt.metadata["version"] = .int(version)
    try ckpt.save(to: arguments[1])
}
