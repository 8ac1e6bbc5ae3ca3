import ArgumentParser
import NablaSerialization

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
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a checkpoint between formats, optionally changing the floating-point dtype.",
        discussion: """
        Formats are chosen by file extension (.nabla, .safetensors, .npz, .npy) unless --from/--to name them. \
        The output is written atomically: an interrupted conversion leaves any existing OUT untouched.
        """)

    @Argument(help: "The checkpoint to read.")
    var input: String

    @Argument(help: "The file to write.")
    var output: String

    @Option(help: "Convert every floating-point tensor to this dtype (rounding to nearest): f16, bf16, f32, f64.")
    var dtype: FloatDTypeArgument?

    @Option(help: "Compression level: zstd 1…19 for .nabla (default 1), deflate 1…9 for .npz; 0 stores uncompressed.")
    var level: Int?

    @Option(help: "Input format name (default: from the extension).")
    var from: String?

    @Option(help: "Output format name (default: from the extension).")
    var to: String?

    @Flag(help: "Draw a progress bar even for small files (only on a terminal).")
    var progress = false

    func validate() throws {
        if let level, !(0...22).contains(level) { throw ValidationError("--level must be between 0 and 22, got \(level)") }
        if input == output { throw ValidationError("input and output are the same file: \(input)") }
    }

    func run() throws {
        let console = Console.current
        let reader = try CheckpointFile.open(input, format: from, populate: true)
        let outputFormat = try CheckpointFile.wrap(output) {
            try to.map { try FormatRegistry.shared.format(named: $0) } ?? FormatRegistry.shared.format(forPath: output)
        }
        let total = reader.entries.reduce(0) { $0 + $1.rawSize }
        let showBar = console.isInteractive && (progress || total >= 64 << 20)
        let readBar = ProgressBar(label: "reading", enabled: showBar)
        var ckpt = try reader.loadAll(progress: readBar.update)
        readBar.finish()
        if let dtype {
            ckpt = try ckpt.converted(floatingPointTo: dtype.elementType, casting: CastingPolicy.allowLossy)
        }
        let writeBar = ProgressBar(label: "writing", enabled: showBar)
        var options = WriteOptions()
        if let level {
            options.compress = level > 0
            options.compressionLevel = max(level, 1)
        }
        options.progress = { writeBar.update($0) }
        try ckpt.save(to: output, format: outputFormat.name, options: options)
        writeBar.finish()
        let size = (try? FileBytes(contentsOfFile: output).count) ?? 0
        console.print("\(input) (\(reader.formatName)) → \(output) (\(outputFormat.name)): \(ckpt.count) tensors, "
                      + "\(Output.bytes(size)) written")
    }
}
