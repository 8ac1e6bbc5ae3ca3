import ArgumentParser
import NablaAutograd

extension OpRegistry {
    /// The ops a registry-driven command checks: those named with `--op`, in order, or every
    /// registered op when none is named.
    /// - Throws: a `ValidationError` naming the unknown op and pointing at `nabla <command> --list`.
    func operators(named names: [String], command: String) throws -> [any RegisteredOperator] {
        if names.isEmpty { return all }
        var selected: [any RegisteredOperator] = []
        for name in names {
            do { selected.append(try op(named: name)) } catch {
                throw ValidationError("\(error.description); `nabla \(command) --list` shows the registered ops")
            }
        }
        return selected
    }
}
