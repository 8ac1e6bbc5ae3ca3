import Foundation

/// Runs `python3 -c script args…` and returns its exit status and combined output, or nil when
/// python3 cannot be started. The interop tests use it to compare with NumPy, PyTorch and
/// safetensors, and skip themselves when the packages they need are missing.
public func runPython(_ script: String, _ args: [String] = []) -> (status: Int32, output: String)? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script] + args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

