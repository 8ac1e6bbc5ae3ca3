// Writes checkpoints to a path in a loop until killed. The crash-safety test spawns this process,
// SIGKILLs it at random moments and checks that the file is always one complete checkpoint.
// Usage: CheckpointWriterHelper PATH ELEMENTS FIRST-VERSION
import Foundation
import NablaSerialization

let arguments = CommandLine.arguments
guard arguments.count == 4, let n = Int(arguments[2]), let first = Int(arguments[3]) else {
    print("usage: CheckpointWriterHelper PATH ELEMENTS FIRST-VERSION")
    exit(2)
}
var version = first - 1
while true {
    version += 1
    // Each version's values are a function of the version, so the reader can check them.
    let values = (0..<n).map { Float(version &* 31 &+ $0 % 1000) }
    var ckpt = Checkpoint()
    ckpt.set("w", Tensor<Float>(shape: [n], scalars: values))
    ckpt.metadata["version"] = .int(version)
    try ckpt.save(to: arguments[1])
    FileHandle.standardOutput.write(Data("saved \(version)\n".utf8))
}
