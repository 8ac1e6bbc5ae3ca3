import ArgumentParser
import Foundation
import NablaSerialization

/// The version of Nabla and of the `nabla` tool (`nabla --version` prints it).
public let nablaVersion = "0.1.0"

/// The `nabla` command: inspect, verify, compare and convert checkpoints; check the gradients and
/// the batching rules of every registered differentiable op.
///
/// Exit codes scripts can rely on: `0` success, `1` a check failed (`verify` found corruption, `diff`
/// found differences), `2` bad input (unreadable or malformed file, unknown format, bad arguments).
/// Errors go to standard error and name the file and what is wrong.
public struct NablaCommand: ParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "nabla",
        abstract: "Inspect, verify, compare and convert Nabla checkpoints (.nabla, .safetensors, .npz, .npy); check op gradients and batching rules.",
        discussion: "Exit status: 0 ok, 1 a check failed, 2 bad input.",
        version: nablaVersion,
        subcommands: [Convert.self, Inspect.self, Verify.self, Diff.self, Gradcheck.self, VMapCheck.self])

    /// Creates the command (used by the argument parser).
    public init() {}
}

/// Thrown by a subcommand whose check failed after it printed its report: exit status 1.
struct CheckFailed: Error, LocalizedError {
    /// What failed (the report itself was printed before).
    var errorDescription: String? { "a check failed (the report above says which)" }
}

/// Bad input the tool itself detects (e.g. output and input are the same file): printed as
/// `nabla: error: <message>`, exit status 2.
public struct ToolError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// What is wrong, naming the file or option.
    public let message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
    /// The message (so `localizedDescription` is the message).
    public var errorDescription: String? { message }
}

/// The `nabla` entry point.
public enum NablaTool {
    /// Exit status for success.
    public static let ok: Int32 = 0
    /// Exit status when a check failed.
    public static let checkFailed: Int32 = 1
    /// Exit status for bad input.
    public static let badInput: Int32 = 2

    /// Parses `arguments` (without the program name), runs the command and returns its exit status.
    /// Output goes to ``Console/current``.
    public static func run(_ arguments: [String]) -> Int32 {
        let console = Console.current
        do {
            var command = try NablaCommand.parseAsRoot(arguments)
            try command.run()
            return ok
        } catch is CheckFailed {
            return checkFailed
        } catch let error as SerializationError {
            console.printError("nabla: error: \(error.description)")
            return badInput
        } catch let error as ToolError {
            console.printError("nabla: error: \(error.message)")
            return badInput
        } catch {
            if NablaCommand.exitCode(for: error) == .success {   // --help, --version
                console.print(NablaCommand.fullMessage(for: error))
                return ok
            }
            // Argument errors: the same `nabla: error:` form as every other error, then the usage.
            var message = NablaCommand.fullMessage(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            console.printError("nabla: error: " + message)
            return badInput
        }
    }

    /// The process's arguments without the program name, decoded with `FilePath` so that file
    /// names that are not valid UTF-8 reach the file system unchanged.
    public static var processArguments: [String] {
        (1..<Int(CommandLine.argc)).compactMap { CommandLine.unsafeArgv[$0].map { FilePath.string(cString: UnsafePointer($0)) } }
    }
}
