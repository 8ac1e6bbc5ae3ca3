import ArgumentParser
import Foundation
import NablaExamples

/// `nabla-examples`: runs the lecture models, prints their numbers and writes their figures.
struct NablaExamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nabla-examples",
        abstract: "The lecture models as runnable examples: each prints its numbers and writes its SVG figure(s).",
        discussion: "Examples:\n" + allExamples.map { "  \($0.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \($0.summary)" }
            .joined(separator: "\n") + "\n\nRun one with `nabla-examples <name>`, every one with `nabla-examples all`.")

    @Argument(help: "The example to run (see the list below), or `all`.")
    var name: String

    @Option(name: .shortAndLong, help: "Directory for the SVG figures (created if missing).")
    var output: String = "figures"

    func validate() throws {
        guard name == "all" || allExamples.contains(where: { $0.name == name }) else {
            throw ValidationError("unknown example '\(name)'; one of: all, " + allExamples.map(\.name).joined(separator: ", "))
        }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for example in allExamples where name == "all" || example.name == name {
            print("== \(example.name): \(example.summary)")
            let result = try example.run()
            for line in result.lines { print(line) }
            for (file, svg) in result.figures {
                let path = (output as NSString).appendingPathComponent(file)
                try svg.write(toFile: path, atomically: true, encoding: .utf8)
                print("wrote \(path)")
            }
        }
    }
}

NablaExamplesCommand.main()
