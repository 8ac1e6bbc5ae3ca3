import Foundation

/// The checkpoint formats Nabla knows, looked up by name or by file extension.
///
/// ``shared`` starts with the built-in formats (native `.nabla`, safetensors, `.npy`, `.npz`);
/// ``register(_:)`` adds or replaces one. Lookups that find nothing throw an error naming what was
/// asked for.
public final class FormatRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var formats: [String: any CheckpointFormat] = [:]
    private var order: [String] = []

    /// The process-wide registry, filled with ``builtinFormats``.
    public static let shared = FormatRegistry(builtinFormats)

    /// A registry holding `formats`.
    public init(_ formats: [any CheckpointFormat] = []) {
        for f in formats { register(f) }
    }

    /// Adds `format`, replacing any format of the same name.
    public func register(_ format: any CheckpointFormat) {
        lock.lock(); defer { lock.unlock() }
        if formats.updateValue(format, forKey: format.name) == nil { order.append(format.name) }
    }

    /// Every registered format, in registration order.
    public var all: [any CheckpointFormat] {
        lock.lock(); defer { lock.unlock() }
        return order.map { formats[$0]! }
    }

    /// The format called `name`.
    /// - Throws: ``SerializationError/unknownFormat(_:)``.
    public func format(named name: String) throws -> any CheckpointFormat {
        lock.lock(); defer { lock.unlock() }
        guard let f = formats[name.lowercased()] else {
            throw SerializationError.unknownFormat("'\(name)' (known: \(order.joined(separator: ", ")))")
        }
        return f
    }

    /// The format whose extension `path` has.
    /// - Throws: ``SerializationError/unknownFormat(_:)`` naming the extension.
    public func format(forPath path: String) throws -> any CheckpointFormat {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let ext = file.contains(".") ? String(file.split(separator: ".").last!).lowercased() : ""
        lock.lock(); defer { lock.unlock() }
        for name in order where formats[name]!.fileExtensions.contains(ext) { return formats[name]! }
        throw SerializationError.unknownFormat(ext.isEmpty ? "(\(path) has no file extension)" : "'.\(ext)'")
    }
}
