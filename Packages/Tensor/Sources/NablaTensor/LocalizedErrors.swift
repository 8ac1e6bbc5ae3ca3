#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Every error NablaTensor throws is a `LocalizedError` whose `errorDescription` is its message,
// naming the operation and what went wrong, so `error.localizedDescription` reads well (Foundation
// would otherwise print "The operation couldn't be completed").

extension LinearAlgebraError: LocalizedError {
    /// The message, e.g. `"inverse: matrix is singular (zero pivot at 3)"` (the same as ``description``).
    public var errorDescription: String? { description }
}

extension EinsumParseError: LocalizedError {
    /// The message, e.g. `"einsum: more than one '->' in subscripts 'ij->j->i'"` (the same as ``description``).
    public var errorDescription: String? { description }
}
