import ArgumentParser
import Foundation
import NablaSerialization

/// `nabla inspect FILE`: lists entries, dtypes, shapes, sizes, compression and metadata.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a checkpoint's tensors (dtype, shape, parameters, sizes, compression) and metadata.")

    @Argument(help: "A .nabla, .safetensors, .npz or .npy file.")
    var file: String

    @Option(help: "Format name (default: from the extension).")
    var format: String?

    @Flag(help: "Print one JSON object instead of a table (for scripts).")
    var json = false

    func run() throws {
        let console = Console.current
        let reader = try CheckpointFile.open(file, format: format)
        let fileSize = try FileBytes(contentsOfFile: file).count   // mapped: costs no memory
        let entries = reader.entries
        let parameters = entries.reduce(0) { $0 + $1.count }
        let stored = entries.reduce(0) { $0 + $1.storedSize }
        let raw = entries.reduce(0) { $0 + $1.rawSize }
        let ratio = raw == 0 ? 1 : Double(stored) / Double(raw)
        if json {
            let tensors: [JSONValue] = entries.map { e in
                .object([("name", .string(e.name)), ("dtype", .string(e.elementType.description)),
                         ("shape", .array(e.shape.map { .int($0) })), ("parameters", .int(e.count)),
                         ("stored_size", .int(e.storedSize)), ("raw_size", .int(e.rawSize)),
                         ("compression", .string(e.compression)), ("filter", .string(e.filter))])
            }
            let out = JSONValue.object([
                ("file", .string(file)), ("format", .string(reader.formatName)), ("file_size", .int(fileSize)),
                ("tensor_count", .int(entries.count)), ("parameters", .int(parameters)),
                ("stored_size", .int(stored)), ("raw_size", .int(raw)),
                ("compression_ratio", .double((ratio * 10000).rounded() / 10000)),
                ("metadata", .sortedObject(reader.metadata)), ("tensors", .array(tensors)),
            ])
            console.print(out.description)
            return
        }
        console.print("\(file): \(reader.formatName), \(Output.bytes(fileSize))")
        let rows = entries.map { e -> [String] in
            let r = e.rawSize == 0 ? "-" : String(format: "%.2f", Double(e.storedSize) / Double(e.rawSize))
            let storage = e.compression == "none" ? "raw" : e.filter == "none" ? e.compression : "\(e.compression)+\(e.filter)"
            return [e.name, e.elementType.description, Output.shape(e.shape), String(e.count),
                    Output.bytes(e.storedSize), Output.bytes(e.rawSize), r, storage]
        }
        console.print(Output.table(["name", "dtype", "shape", "parameters", "stored", "raw", "ratio", "storage"], rows))
        console.print("\(entries.count) tensors, \(parameters) parameters, \(Output.bytes(stored)) stored / "
                      + "\(Output.bytes(raw)) raw (ratio \(String(format: "%.3f", ratio)))")
        if !reader.metadata.isEmpty {
            console.print("metadata:")
            for (k, v) in reader.metadata.sorted(by: { $0.key < $1.key }) {
                console.print("  \(k): \(v.stringValue ?? v.description)")
            }
        }
    }
}
