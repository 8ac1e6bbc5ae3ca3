import ArgumentParser
import NablaSerialization

/// `nabla verify FILE`: checks every checksum and the whole layout.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every checksum of a checkpoint (exit 1 if the file is corrupted).",
        discussion: """
        .nabla: header checksum, every tensor's XXH64 and zstd frame, zero padding — every byte is covered. \
        .npz: every member's CRC-32. .safetensors and .npy have no checksums: their layout and bool values are checked. \
        Compressed tensors are decoded through a small buffer: memory stays bounded whatever their size.
        """)

    @Argument(help: "The checkpoint to verify.")
    var file: String

    @Option(help: "Format name (default: from the extension).")
    var format: String?

    @Flag(help: "Read the file into memory instead of mapping it (safe if another process may truncate it).")
    var noMmap = false

    func run() throws {
        let console = Console.current
        // Unreadable files and unknown formats are bad input (exit 2); a file that opens as the
        // right format but fails a check is corrupted (exit 1).
        do {
            var options = ReadOptions()
            options.memoryMap = !noMmap
            let reader = try CheckpointFile.open(file, format: format, options: options)
            try reader.verify()
            let what = reader.formatName == "nabla" || reader.formatName == "npz" ? "all checksums match" : "layout valid (format has no checksums)"
            console.print("OK \(file): \(reader.formatName), \(reader.entries.count) tensors, \(what)")
        } catch let error as SerializationError {
            switch error.underlying {
            case .io, .unknownFormat: throw error
            default:
                console.printError("FAILED \(error.description)")
                throw CheckFailed()
            }
        }
    }
}
