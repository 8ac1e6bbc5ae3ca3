#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AutogradError: LocalizedError {
    /// The message naming the op, e.g. `"anomaly: log produced NaN or infinity"` (the same as ``description``).
    public var errorDescription: String? { description }
}
