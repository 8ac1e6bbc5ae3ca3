import Foundation

/// Why an optimizer, a scheduler or a state dictionary was refused.
///
/// The messages follow PyTorch's `ValueError`s, so `try SGD(model, learningRate: -1)` fails with
/// "Invalid learning rate: -1.0".
public enum OptimizerError: Error, LocalizedError, Equatable, Sendable {
    /// A hyper-parameter out of its range, named by its PyTorch key (`lr`, `eps`, `betas.0`,
    /// `momentum`, `weight_decay`, …).
    case invalidHyperparameter(name: String, value: Double)
    /// An inconsistent combination of options (Nesterov without momentum, a parameter in two
    /// groups, a schedule with no steps), described in words.
    case invalidArgument(String)
    /// A state dictionary that does not fit this optimizer's parameters.
    case stateDictionaryMismatch(String)

    /// PyTorch's wording: "Invalid learning rate: -0.1", "Invalid beta parameter at index 1: 1.0".
    public var errorDescription: String? {
        switch self {
        case let .invalidHyperparameter(name, value):
            switch name {
            case "lr": return "Invalid learning rate: \(value)"
            case "eps": return "Invalid epsilon value: \(value)"
            case "betas.0": return "Invalid beta parameter at index 0: \(value)"
            case "betas.1": return "Invalid beta parameter at index 1: \(value)"
            default: return "Invalid \(name) value: \(value)"
            }
        case let .invalidArgument(message): return message
        case let .stateDictionaryMismatch(message): return "Optimizer state dictionary does not fit: \(message)"
        }
    }
}

/// Range checks shared by the optimizers' initializers.
@usableFromInline enum Check {
    /// Throws unless `options[name]` is at least zero (a missing key passes).
    static func nonNegative(_ name: String, _ options: [String: Double]) throws {
        if let v = options[name], !(v >= 0) { throw OptimizerError.invalidHyperparameter(name: name, value: v) }
    }
    /// Throws unless `options[name]` is strictly positive.
    static func positive(_ name: String, _ options: [String: Double]) throws {
        if let v = options[name], !(v > 0) { throw OptimizerError.invalidHyperparameter(name: name, value: v) }
    }
    /// Throws unless `options[name]` is in [0, 1).
    static func unitInterval(_ name: String, _ options: [String: Double]) throws {
        if let v = options[name], !(v >= 0 && v < 1) { throw OptimizerError.invalidHyperparameter(name: name, value: v) }
    }
    /// Throws unless `options[name]` is in [0, 1].
    static func closedUnitInterval(_ name: String, _ options: [String: Double]) throws {
        if let v = options[name], !(v >= 0 && v <= 1) { throw OptimizerError.invalidHyperparameter(name: name, value: v) }
    }
}
