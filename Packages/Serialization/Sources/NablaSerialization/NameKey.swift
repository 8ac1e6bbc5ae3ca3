/// A tensor or member name compared by its UTF-8 bytes.
///
/// Swift's `String ==` (and `String` hashing) uses Unicode canonical equivalence, so "é" written as
/// one scalar (U+00E9) and as "e" + U+0301 are the same `String` key. File formats compare names as
/// bytes (the reference safetensors library loads both), and so does Nabla: readers, writers and
/// ``Checkpoint`` key tensors by `NameKey`.
struct NameKey: Hashable, Sendable {
    let bytes: [UInt8]
    init(_ name: String) { bytes = Array(name.utf8) }
}

extension String {
    /// Whether the two strings have the same UTF-8 bytes (not canonical equivalence).
    @inline(__always) func sameBytes(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }
}
