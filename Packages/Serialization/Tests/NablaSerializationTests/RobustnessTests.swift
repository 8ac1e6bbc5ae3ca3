import Foundation
import Testing
@testable import NablaSerialization

@Suite("Robustness")
struct RobustnessTests {
    /// Opens, loads and verifies `bytes` in `format`; returns whether it loaded (errors are fine, crashes are not).
    @discardableResult
    static func tryLoad(_ bytes: [UInt8], _ format: String) -> Bool {
        do {
            let r = try FormatRegistry.shared.format(named: format).open(FileBytes(bytes), options: ReadOptions())
            _ = try r.loadAll()
            try r.verify()
            return true
        } catch is SerializationError {
            return false
        } catch {
            Issue.record("\(format): non-SerializationError \(error)")
            return false
        }
    }

    @Test("fuzz: thousands of mutated and truncated files per reader, no crash")
    func fuzz() throws {
        var c = Checkpoint()
        c.set("a.weight", Tensor<Float>(shape: [3, 4], scalars: (0..<12).map(Float.init)))
        c.set("b", Tensor<Int64>(shape: [2], scalars: [7, -7]))
        c.set("flag", Tensor<Bool>(shape: [], scalars: [true]))
        c.metadata["step"] = .int(5)
        var rng = SplitMix64(seed: 42)
        var loaded = 0, total = 0
        for format in ["nabla", "safetensors", "npz", "npy"] {
            let seedFile = try (format == "npy" ? Checkpoint([("x", c["a.weight"]!)]) : c).encoded(format: format)
            let seedFile2 = format == "npz" ? try c.encoded(format: "npz", options: WriteOptions(compress: false)) : seedFile
            for i in 0..<1500 {
                var b = i % 2 == 0 ? seedFile : seedFile2
                switch rng.next() % 5 {
                case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))           // truncate
                case 1: for _ in 0..<(1 + rng.next() % 4) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                case 2: b[Int(rng.next() % UInt64(b.count))] ^= UInt8(1 << (rng.next() % 8))   // bit flip
                case 3:                                                                         // byte in the first 64
                    b[Int(rng.next() % UInt64(min(64, b.count)))] = [0, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
                default:                                                                        // insert or delete
                    let p = Int(rng.next() % UInt64(b.count))
                    if rng.next() % 2 == 0 { b.insert(UInt8(truncatingIfNeeded: rng.next()), at: p) } else { b.remove(at: p) }
                }
                if Self.tryLoad(b, format) { loaded += 1 }
                total += 1
            }
        }
        // Most mutations must be caught; a few (e.g. flipping a float's low bit in a checksum-free
        // format) legitimately load.
        #expect(total == 6000)
        #expect(loaded < total / 2)
    }

    @Test("every single-byte corruption of a native checkpoint is detected")
    func everyByte() throws {
        for compress in [true, false] {
            var c = Checkpoint()
            c.set("w", Tensor<Float>(shape: [8, 8], scalars: (0..<64).map { Float($0) * 0.25 }))
            c.set("i", Tensor<Int32>(shape: [3], scalars: [1, 2, 3]))
            c.metadata["epoch"] = .int(1)
            let bytes = try c.encoded(format: "nabla", options: WriteOptions(compress: compress))
            #expect(Self.tryLoad(bytes, "nabla"))
            var undetected: [Int] = []
            for p in 0..<bytes.count {
                for delta: UInt8 in [0x01, 0x80, 0xFF] {
                    var b = bytes
                    b[p] ^= delta
                    if Self.tryLoad(b, "nabla") { undetected.append(p) }
                }
            }
            #expect(undetected.isEmpty, "undetected corruptions at \(undetected)")
        }
    }

    @Test("a writer killed at random moments leaves the previous checkpoint intact")
    func killedWriter() throws {
        // The helper executable is built beside the test binary by the root package.
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let helper = exe.appendingPathComponent("CheckpointWriterHelper").path
        guard FileManager.default.isExecutableFile(atPath: helper) else {
            print("killedWriter: \(helper) not built (standalone package build); skipped")
            return
        }
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/ckpt.nabla"
        var rng = SplitMix64(seed: 7)
        var versionsSeen = Set<Int>()
        var midSave = 0, midSaveLarge = 0, leftBefore = 0
        /// Files other than the checkpoint: temporary files a killed writer left behind (there must be none).
        func temporaries() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0 != "ckpt.nabla" }.count
        }
        // 20 rounds with a 200 KB checkpoint, then 5 with 1 + 3 tensors of 1M floats (12 MB of
        // incompressible noise besides): those saves run the background flusher (every 4 MiB) and
        // several compression workers when the kill lands.
        for round in 0..<25 {
            let large = round >= 20
            let n = large ? 1_000_000 : 50_000
            let p = Process()
            p.executableURL = URL(fileURLWithPath: helper)
            p.arguments = [path, String(n), String(1000 * round)] + (large ? ["3"] : [])
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            // Wait for this process's first completed save, then kill it 0-20 ms later (0-400 ms for
            // the large ones): one save of the debug-built helper takes a few ms (a few hundred for
            // the large ones), so kills land during and between saves.
            _ = out.fileHandleForReading.availableData
            #expect(temporaries() == 0, "round \(round): the first save did not remove a dead writer's temporary file")
            usleep(useconds_t(rng.next() % (large ? 400_000 : 20_000)))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let left = temporaries()
            if left > leftBefore { midSave += 1; if large { midSaveLarge += 1 } }
            leftBefore = left
            // O_TMPFILE: a writer killed while writing leaves no file behind. Only a kill in the two
            // system calls between naming the complete file and renaming it can leave one, and the
            // next save (the next round's first) removes it: at most one is ever there.
            #expect(left <= 1, "round \(round): left \((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])")
            #expect(p.terminationReason == .uncaughtSignal)
            let c = try Checkpoint(contentsOf: path)
            try CheckpointFile.open(path).verify()
            guard case let .int(version)? = c.metadata["version"] else { Issue.record("no version"); continue }
            versionsSeen.insert(version)
            let w = try c.tensor("w", as: Float.self)
            #expect(w.shape == [large ? 50_000 : n])
            #expect(w.scalars[999] == Float(version &* 31 &+ 999))
            if large {
                // The helper's noise(tensor, i), recomputed for a few positions; element 0 is the version.
                for t in 0..<3 {
                    let v = try c.tensor("noise.\(t)", as: Float.self).scalars
                    #expect(v[0] == Float(version))
                    for i in [999, n - 1] {
                        let h = UInt32(truncatingIfNeeded: (t &* 0x7F4A_7C15) ^ (i &* 0x85EB_CA6B))
                        #expect(v[i].bitPattern == h & 0x3FFF_FFFF, "round \(round), tensor \(t), element \(i)")
                    }
                }
            }
        }
        print("killedWriter: \(midSave) of 25 kills left a named temporary file (\(midSaveLarge) of the 5 large)")
        try Checkpoint().save(to: dir + "/other.nabla")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["ckpt.nabla", "other.nabla"])
        // Each round's process completed at least one save of its own versions.
        #expect(versionsSeen.count == 25)
    }

    @Test("past the file size limit (SIGXFSZ) a save is a clean error and leaves nothing behind")
    func fileSizeLimit() throws {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let helper = exe.appendingPathComponent("CheckpointWriterHelper").path
        guard FileManager.default.isExecutableFile(atPath: helper) else {
            print("fileSizeLimit: \(helper) not built (standalone package build); skipped")
            return
        }
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.nabla"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: helper)
        p.arguments = [path, "1000000"]                    // 4 MB of floats, limit 4 kB
        p.environment = ["NABLA_HELPER_FSIZE": "4096"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationReason == .exit && p.terminationStatus == 3, "\(p.terminationReason) \(p.terminationStatus)")
        #expect(message == "\(path): write failed: the file size limit (ulimit -f) was reached\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
