/// Helpers shared by the per-type LAPACK wrappers.

/// Converts a dimension to LAPACK's 32-bit integer, stopping if it does not fit.
@inlinable func lapackInt(_ x: Int) -> Int32 {
    precondition(x <= Int(Int32.max), "LAPACK: dimension \(x) exceeds the 32-bit LAPACK interface")
    return Int32(x)
}

/// A one-letter LAPACK option (`"N"`, `"V"`, `"L"`, …) as a C `char`.
@inlinable func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(bitPattern: UInt8(ascii: c)) }

/// Stops: LAPACK is not available on this platform.
@usableFromInline func lapackUnavailable(_ routine: StaticString) -> Never {
    preconditionFailure("\(routine): LAPACK routines are not wired to Accelerate yet")
}
