import ArgumentParser
import Foundation
import NablaSerialization
#if canImport(Glibc)
import Glibc
#endif

/// A floating-point dtype to convert to.
enum FloatDTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case f16, bf16, f32, f64

    var elementType: ElementType {
        switch self {
        case .f16: return .float16
        case .bf16: return .bfloat16
        case .f32: return .float32
        case .f64: return .float64
        }
    }
}

/// `nabla convert IN OUT`: rewrites a checkpoint in another format and/or dtype.
///
/// Tensors are converted one at a time (read, cast, written, released; ``TensorStream``), so a
/// checkpoint larger than memory converts in memory bounded by its largest tensor.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a checkpoint between formats, optionally changing the floating-point dtype.",
        discussion: """
        Formats are chosen by file extension (.nabla, .safetensors, .npz, .npy) unless --from/--to name them. \
        The output is written atomically: an interrupted conversion leaves any existing OUT untouched. \
        Tensors are converted one at a time, so memory stays bounded by the largest tensor.
        """)

    @Argument(help: "The checkpoint to read.")
    var input: String

    @Argument(help: "The file to write.")
    var output: String

    @Option(help: "Convert every floating-point tensor to this dtype (rounding to nearest; a value out of the dtype's range is an error without --allow-lossy).")
    var dtype: FloatDTypeArgument?

    @Flag(help: "With --dtype: accept casts that turn finite values into infinity or NaN (e.g. 1e300 or 70000 to f16).")
    var allowLossy = false

    @Option(help: "Compression level: zstd 1…19 for .nabla (default 1), deflate 1…9 for .npz; 0 stores uncompressed.")
    var level: Int?

    @Option(help: "Input format name (default: from the extension).")
    var from: String?

    @Option(help: "Output format name (default: from the extension).")
    var to: String?

    @Flag(help: "Read the input into memory instead of mapping it (safe if another process may truncate it).")
    var noMmap = false

    @Flag(help: "Draw a progress bar even for small files (only on a terminal).")
    var progress = false

    func validate() throws {
        if let level, level < 0 { throw ValidationError("--level must be 0 or more, got \(level)") }
    }

    /// The levels `format` accepts, or nil when it has no compression.
    static func levels(_ format: String) -> ClosedRange<Int>? {
        switch format {
        case "nabla": return 0...19
        case "npz": return 0...9
        default: return nil
        }
    }

    /// Refuses an output that is the input (by device and inode: another spelling, a symlink or a
    /// hard link), or that exists and is not a regular file (a device, FIFO, directory).
    static func checkOutput(_ output: String, input: String) throws {
        var si = stat(), so = stat()
        guard fileStatus(output, &so) else { return }
        if (so.st_mode & S_IFMT) != S_IFREG {
            throw ToolError("\(FilePath.display(output)): is not a regular file; refusing to replace it")
        }
        if fileStatus(input, &si) && si.st_dev == so.st_dev && si.st_ino == so.st_ino {
            throw ToolError("\(FilePath.display(output)): is the input file \(FilePath.display(input)) (same device and inode); "
                            + "write to another file")
        }
    }

    func run() throws {
        let console = Console.current
        try Convert.checkOutput(output, input: input)
        let outputFormat = try CheckpointFile.wrap(output) {
            try to.map { try FormatRegistry.shared.format(named: $0) } ?? FormatRegistry.shared.format(forPath: output)
        }
        if let level {
            guard let range = Convert.levels(outputFormat.name) else {
                throw ToolError("--level does not apply to \(outputFormat.name) (it stores tensors uncompressed)")
            }
            guard range.contains(level) else {
                throw ToolError("--level for \(outputFormat.name) must be in \(range.lowerBound)…\(range.upperBound), got \(level)")
            }
        }
        var readOptions = ReadOptions()
        readOptions.memoryMap = !noMmap
        let reader = try CheckpointFile.open(input, format: from, options: readOptions)
        let total = reader.entries.reduce(0) { $0 + $1.rawSize }
        let showBar = console.isInteractive && (progress || total >= 64 << 20)
        let bar = ProgressBar(label: "converting", enabled: showBar)
        let stream = TensorStream(reader, floatingPointTo: dtype?.elementType,
                                  casting: allowLossy ? .allowLossy : .allowRounding)
        var options = WriteOptions()
        if let level {
            options.compress = level > 0
            options.compressionLevel = max(level, 1)
        }
        options.progress = { bar.update($0) }
        try stream.save(to: output, format: outputFormat.name, options: options)
        bar.finish()
        var st = stat()
        let size = fileStatus(output, &st) ? Int(st.st_size) : 0
        console.print("\(input) (\(reader.formatName)) → \(output) (\(outputFormat.name)): \(stream.entries.count) tensors, "
                      + "\(Output.bytes(size)) written")
    }
}

/// `stat` through ``FilePath`` (follows symlinks); whether it succeeded.
func fileStatus(_ path: String, _ st: inout stat) -> Bool {
    var bytes = FilePath.fileSystemRepresentation(path).map { CChar(bitPattern: $0) }
    bytes.append(0)
    return stat(bytes, &st) == 0
}
