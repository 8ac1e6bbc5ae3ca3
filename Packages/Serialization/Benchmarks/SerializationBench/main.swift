// Serialization benchmark: native .nabla (shuffle + zstd, zstd alone, raw) on the checkpoints that
// benchmarks/serialization_bench.py writes as safetensors, so both sides time the same tensors.
//
//   swift run -c release --package-path Packages/Serialization SerializationBench DIR [REPEATS] [--only CONFIG] [--file SUBSTRING]
//
// For every DIR/*.safetensors it prints one JSON line per configuration: file size, the median of
// REPEATS (default 5) timings of a save (atomic: temp file, fsync, rename, directory fsync), of an
// encode into memory (no I/O), and of a full load (map, verify checksums, decompress, touch every
// value). Throughputs are raw tensor bytes per second.
import Foundation
import NablaSerialization

// The machine, as every benchmark prints it (docs/performance.md records it beside each table).
print("# \(VectorLevel.summary)")

/// The value after `flag` on the command line, if any.
func option(_ flag: String) -> String? {
    let all = CommandLine.arguments
    guard let i = all.firstIndex(of: flag), i + 1 < all.count else { return nil }
    return all[i + 1]
}
let onlyConfig = option("--only")      // e.g. shuffle+zstd1 (for profiling one configuration)
let onlyFile = option("--file")        // e.g. gaussian_f32
/// The arguments without `--only X` and `--file X`.
let args: [String] = {
    var out: [String] = []
    var skip = false
    for a in CommandLine.arguments {
        if skip { skip = false; continue }
        if a == "--only" || a == "--file" || a == "--load-only" { skip = true; continue }
        if a == "--sequence" { continue }
        out.append(a)
    }
    return out
}()
guard args.count >= 2 else {
    print("usage: SerializationBench DIR [REPEATS] [--only CONFIG] [--file SUBSTRING] | x --micro")
    exit(2)
}
let dir = args[1]
let repeats = args.count > 2 ? Int(args[2]) ?? 5 : 5

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Reads every byte of every tensor (so mapped pages are faulted in), returning a checksum-ish sum.
func touch(_ c: Checkpoint) -> UInt64 {
    var s: UInt64 = 0
    for (_, t) in c.tensors {
        t.withUnsafeBytes { b in
            let words = b.count / 8
            let p = b.baseAddress!
            for i in 0..<words { s &+= p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self) }
        }
    }
    return s
}

if let file = option("--load-only") {
    // Times only full loads of FILE (median of REPEATS), e.g. to compare files written differently.
    let n = Int(args.last!) ?? 10
    var xs: [Double] = []
    var s: UInt64 = 0
    let size = try Checkpoint(contentsOf: file).tensors.reduce(0) { $0 + $1.tensor.bytes.count }
    for _ in 0..<n { xs.append(try time { s &+= touch(try Checkpoint(contentsOf: file)) }) }
    print(String(format: "load %.2f GB/s", Double(size) / median(xs) / 1e9), s == 42 ? "" : "")
    exit(0)
}

if CommandLine.arguments.contains("--micro") {
    // Component timings (GB/s of raw bytes) on N(0, 0.02) float32: one 4 MiB tensor (one thread)
    // and 12 of them (both cores).
    let one = AnyTensor(Tensor<Float>.randomNormal([1 << 20], standardDeviation: 0.02, seed: 0))
    let single = Checkpoint([("w", one)])
    let twelve = Checkpoint((0..<12).map { ("w\($0)", AnyTensor(Tensor<Float>.randomNormal([1 << 20], standardDeviation: 0.02, seed: UInt64($0)))) })
    func rate(_ bytes: Int, _ body: () throws -> Void) rethrows -> String {
        var best = Double.infinity
        for _ in 0..<5 { best = min(best, try time(body)) }
        return String(format: "%.2f GB/s", Double(bytes) / best / 1e9)
    }
    print("xxh64 4 MiB:", rate(4 << 20) { _ = one.withUnsafeBytes { XXHash64.hash($0) } })
    for level in [1, -1, -3] {
        print("encode 1×4 MiB shuffle+zstd\(level):", try rate(4 << 20) { _ = try single.encoded(format: "nabla", options: WriteOptions(compressionLevel: level)) })
        print("encode 12×4 MiB shuffle+zstd\(level):", try rate(48 << 20) { _ = try twelve.encoded(format: "nabla", options: WriteOptions(compressionLevel: level)) })
    }
    print("encode 1×4 MiB zstd1 (no shuffle):", try rate(4 << 20) { _ = try single.encoded(format: "nabla", options: WriteOptions(compressionLevel: 1, shuffle: false)) })
    print("encode 1×4 MiB raw:", try rate(4 << 20) { _ = try single.encoded(format: "nabla", options: WriteOptions(compress: false)) })
    let enc = try twelve.encoded(format: "nabla", options: WriteOptions(compressionLevel: 1))
    print("decode 12×4 MiB shuffle+zstd1:", try rate(48 << 20) { _ = try Checkpoint(decoding: enc, format: "nabla") })
    exit(0)
}

if CommandLine.arguments.contains("--sequence") {
    // Issue 10's same-process slowdown: N saves of one checkpoint in one process (to the same path
    // and to fresh paths), each followed by a raw durable write of the same number of bytes (write,
    // fsync, rename, directory fsync: the disk's floor at that moment). Prints GB/s for each.
    //   SerializationBench DIR N --sequence [--only CONFIG] [--file SUBSTRING]
    let n = repeats
    let file = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".safetensors") && (onlyFile.map($0.contains) ?? true) }.sorted()[0]
    let input = try Checkpoint(contentsOf: dir + "/" + file)
    let rawBytes = input.tensors.reduce(0) { $0 + $1.tensor.bytes.count }
    let config = onlyConfig ?? "raw"
    let options = config == "raw" ? WriteOptions(compress: false) : WriteOptions(compressionLevel: 1, compress: true, shuffle: true)
    let encodedSize = try input.encoded(format: "nabla", options: options).count
    let floorBytes = [UInt8](repeating: 7, count: encodedSize)
    func rawDurableWrite(_ path: String) {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        floorBytes.withUnsafeBytes { b in
            var off = 0
            while off < b.count { off += write(fd, b.baseAddress! + off, min(8 << 20, b.count - off)) }
        }
        fsync(fd); close(fd); rename(tmp, path)
        let dfd = open(dir, O_RDONLY); fsync(dfd); close(dfd)
    }
    print("file \(file), \(config), \(rawBytes) raw bytes, \(encodedSize) bytes on disk; GB/s of raw bytes")
    for samePath in [true, false] {
        var line = samePath ? "same path:  " : "fresh paths:"
        var floorLine = "  floor:    "
        for i in 0..<n {
            let out = dir + (samePath ? "/seq-out.nabla" : "/seq-out-\(i).nabla")
            let t = try time { try input.save(to: out, options: options) }
            let f = time { rawDurableWrite(dir + "/seq-floor.bin") }
            line += String(format: " %5.2f", Double(rawBytes) / t / 1e9)
            floorLine += String(format: " %5.2f", Double(rawBytes) / f / 1e9)
        }
        print(line); print(floorLine)
        for i in 0..<n { try? FileManager.default.removeItem(atPath: dir + "/seq-out-\(i).nabla") }
    }
    try? FileManager.default.removeItem(atPath: dir + "/seq-out.nabla")
    try? FileManager.default.removeItem(atPath: dir + "/seq-floor.bin")
    exit(0)
}

let configs: [(String, WriteOptions)] = [
    ("shuffle+zstd1", WriteOptions(compressionLevel: 1, compress: true, shuffle: true)),
    ("shuffle+zstd3", WriteOptions(compressionLevel: 3, compress: true, shuffle: true)),
    ("zstd3", WriteOptions(compressionLevel: 3, compress: true, shuffle: false)),
    ("raw", WriteOptions(compress: false)),
]
let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".safetensors") && (onlyFile.map($0.contains) ?? true) }.sorted()
var sink: UInt64 = 0
for file in files {
    let input = try Checkpoint(contentsOf: dir + "/" + file)
    let rawBytes = input.tensors.reduce(0) { $0 + $1.tensor.bytes.count }
    let out = dir + "/bench-out.nabla"
    for (name, options) in configs where onlyConfig == nil || onlyConfig == name {
        var saves: [Double] = [], encodes: [Double] = [], loads: [Double] = []
        for _ in 0..<repeats {
            saves.append(try time { try input.save(to: out, options: options) })
            encodes.append(try time { _ = try input.encoded(format: "nabla", options: options) })
            loads.append(try time { sink &+= touch(try Checkpoint(contentsOf: out)) })
        }
        let size = try FileBytes(contentsOfFile: out).count
        let line: [String: Any] = [
            "file": file, "config": name, "raw_bytes": rawBytes, "size": size,
            "save_s": median(saves), "encode_s": median(encodes), "load_s": median(loads),
        ]
        let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
    if !CommandLine.arguments.contains("--keep") { try? FileManager.default.removeItem(atPath: out) }
}
if sink == 42 { print("") }   // keeps `touch` from being optimized away
