/// A parsed Einstein-summation expression such as `"ij,jk->ik"`, in NumPy's notation.
///
/// Each operand is named by a term of subscript labels (ASCII letters, case-sensitive) and at
/// most one ellipsis `...`, which stands for any number of leading, middle or trailing axes that
/// broadcast against the other operands' ellipses. Whitespace is ignored, so `"ij, j"` equals
/// `"ij,j"`.
///
/// - Explicit form `"ij,jk->ik"`: the output lists its labels in order; every label it omits is
///   summed over. A label may appear at most once in the output.
/// - Implicit form `"ij,jk"`: the output is the ellipsis (if any operand has one) followed by the
///   labels that appear exactly once in the inputs, sorted by character code (uppercase before
///   lowercase), as NumPy does. So `"ii"` is a trace and `"ij,jk"` a matrix product.
///
/// A label repeated inside one term takes a diagonal: `"ii->i"` is the diagonal of a matrix.
///
/// ```swift
/// let e = try EinsumExpression(parsing: "il, ljk")
/// e.description            // "il,ljk->ijk"
/// ```
public struct EinsumExpression: Sendable, Hashable, CustomStringConvertible {
    /// One position in a term: a letter label or the ellipsis.
    public enum Index: Hashable, Sendable, CustomStringConvertible {
        /// A named axis, an ASCII letter.
        case label(Character)
        /// `...`: the broadcast axes not named by a letter.
        case ellipsis

        /// The letter, or `...`.
        public var description: String {
            switch self {
            case .label(let c): return String(c)
            case .ellipsis: return "..."
            }
        }
    }

    /// One term per operand, in order.
    public let inputs: [[Index]]
    /// The output term (computed by NumPy's rule in implicit form).
    public let output: [Index]
    /// Whether the subscripts gave the output with `->`.
    public let isExplicit: Bool

    /// The canonical explicit form, e.g. `"ij,jk->ik"`.
    public var description: String {
        func term(_ t: [Index]) -> String { t.map(\.description).joined() }
        return inputs.map(term).joined(separator: ",") + "->" + term(output)
    }

    /// Parses NumPy einsum subscripts.
    ///
    /// - Throws: ``EinsumParseError`` naming the subscripts and what is wrong: a character other
    ///   than a letter, `,`, `...`, `->` or whitespace; more than one `->` or one ellipsis per term;
    ///   an output label that is repeated or absent from the inputs; an output ellipsis without one
    ///   in the inputs is allowed (it covers zero axes).
    public init(parsing subscripts: String) throws(EinsumParseError) {
        let compact = String(subscripts.filter { !$0.isWhitespace })
        func fail(_ reason: String) -> EinsumParseError { EinsumParseError(subscripts: subscripts, reason: reason) }

        let chars = Array(compact)
        var arrows: [Int] = []
        for i in chars.indices.dropLast() where chars[i] == "-" && chars[i + 1] == ">" { arrows.append(i) }
        guard arrows.count <= 1 else { throw fail("more than one '->'") }
        let sides = arrows.isEmpty ? [compact]
            : [String(chars[..<arrows[0]]), String(chars[(arrows[0] + 2)...])]
        let inputTexts = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var inputs: [[Index]] = []
        for (i, text) in inputTexts.enumerated() {
            inputs.append(try Self.parseTerm(text, what: "operand \(i)", fail: fail))
        }
        var output: [Index]
        if sides.count == 2 {
            output = try Self.parseTerm(sides[1], what: "the output", fail: fail)
            var seen = Set<Character>()
            for case .label(let c) in output {
                guard seen.insert(c).inserted else { throw fail("label '\(c)' appears twice in the output") }
                guard inputs.contains(where: { $0.contains(.label(c)) }) else {
                    throw fail("output label '\(c)' does not appear in any operand")
                }
            }
        } else {
            var counts: [Character: Int] = [:]
            for term in inputs { for case .label(let c) in term { counts[c, default: 0] += 1 } }
            let once = counts.filter { $0.value == 1 }.keys.sorted { $0.asciiValue! < $1.asciiValue! }
            output = inputs.contains { $0.contains(.ellipsis) } ? [.ellipsis] : []
            output += once.map { .label($0) }
        }
        self.inputs = inputs
        self.output = output
        self.isExplicit = sides.count == 2
    }

    /// Creates an expression from terms directly (for code that builds einsums, such as the
    /// vector-Jacobian product of an einsum). The output is explicit.
    /// - Precondition: the output holds no repeated label and no label absent from the inputs.
    public init(inputs: [[Index]], output: [Index]) {
        var seen = Set<Character>()
        for case .label(let c) in output {
            precondition(seen.insert(c).inserted, "einsum: label '\(c)' appears twice in the output of \(inputs) -> \(output)")
            precondition(inputs.contains { $0.contains(.label(c)) },
                         "einsum: output label '\(c)' does not appear in any operand of \(inputs)")
        }
        for term in inputs + [output] {
            precondition(term.filter { $0 == .ellipsis }.count <= 1, "einsum: more than one '...' in a term of \(inputs) -> \(output)")
        }
        self.inputs = inputs
        self.output = output
        self.isExplicit = true
    }

    static func parseTerm(_ text: String, what: String,
                          fail: (String) -> EinsumParseError) throws(EinsumParseError) -> [Index] {
        var term: [Index] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "." {
                guard i + 2 < chars.count, chars[i + 1] == ".", chars[i + 2] == "." else {
                    throw fail("'.' in \(what) is not part of an ellipsis '...'")
                }
                guard !term.contains(.ellipsis) else { throw fail("more than one '...' in \(what)") }
                term.append(.ellipsis)
                i += 3
            } else if let a = c.asciiValue, (a >= 65 && a <= 90) || (a >= 97 && a <= 122) {
                term.append(.label(c))
                i += 1
            } else {
                throw fail("invalid character '\(c)' in \(what) (labels are ASCII letters)")
            }
        }
        return term
    }
}

/// Malformed einsum subscripts, with the subscripts and the reason.
public struct EinsumParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The subscripts as given.
    public let subscripts: String
    /// What is wrong, e.g. `"more than one '->'"`.
    public let reason: String

    /// `einsum: <reason> in subscripts '<subscripts>'`.
    public var description: String { "einsum: \(reason) in subscripts '\(subscripts)'" }
}

/// The labels of an expression resolved against concrete operand shapes: every axis gets an
/// integer label (letters by character code, ellipsis axes `128 + k`), every label one size.
@usableFromInline struct EinsumLayout {
    /// One label per axis of each operand.
    @usableFromInline var inputs: [[Int]]
    /// One label per output axis.
    @usableFromInline var output: [Int]
    /// The broadcast size of each label (indexed by label; -1 when unused).
    @usableFromInline var sizes: [Int]

    /// Resolves `expression` for operands of `shapes`, stopping with a message that names einsum,
    /// the subscripts and the shapes if they do not fit.
    @usableFromInline init(_ expression: EinsumExpression, subscripts: String, shapes: [[Int]]) {
        func stop(_ reason: String) -> Never {
            preconditionFailure("einsum: \(reason); subscripts '\(subscripts)', operand shapes \(shapes.map { "\($0)" }.joined(separator: ", "))")
        }
        if shapes.count != expression.inputs.count {
            stop("the subscripts name \(expression.inputs.count) operand(s) but \(shapes.count) were given")
        }
        // How many axes each ellipsis covers; the ellipses broadcast right-aligned.
        var ellipsisRank = 0
        var covered: [Int] = []
        for (i, term) in expression.inputs.enumerated() {
            let letters = term.filter { $0 != .ellipsis }.count
            let rank = shapes[i].count
            if term.contains(.ellipsis) {
                if rank < letters { stop("operand \(i) has rank \(rank) but its term names \(letters) axes") }
                covered.append(rank - letters)
            } else {
                if rank != letters { stop("operand \(i) has rank \(rank) but its term names \(letters) axes") }
                covered.append(0)
            }
            ellipsisRank = Swift.max(ellipsisRank, covered[i])
        }
        func ids(_ term: [EinsumExpression.Index], ellipsisAxes e: Int) -> [Int] {
            var out: [Int] = []
            for index in term {
                switch index {
                case .label(let c): out.append(Int(c.asciiValue!))
                case .ellipsis: out += (128 + ellipsisRank - e)..<(128 + ellipsisRank)
                }
            }
            return out
        }
        func name(_ label: Int) -> String {
            label < 128 ? "label '\(Character(Unicode.Scalar(UInt8(label))))'" : "ellipsis axis \(label - 128)"
        }
        var sizes = [Int](repeating: -1, count: 128 + ellipsisRank)
        var inputs: [[Int]] = []
        for (i, term) in expression.inputs.enumerated() {
            let labels = ids(term, ellipsisAxes: covered[i])
            var local: [Int: Int] = [:]
            for (axis, label) in labels.enumerated() {
                let d = shapes[i][axis]
                if let seen = local[label], seen != d {
                    stop("\(name(label)) is repeated in operand \(i) with different sizes \(seen) and \(d)")
                }
                local[label] = d
                let s = sizes[label]
                if s == -1 || s == 1 {
                    sizes[label] = d
                } else if d != 1 && d != s {
                    stop("\(name(label)) has size \(s) in one operand and \(d) in operand \(i)")
                }
            }
            inputs.append(labels)
        }
        if ellipsisRank > 0 && !expression.output.contains(.ellipsis) {
            stop("the operands' ellipsis covers \(ellipsisRank) axes but the output has no '...'")
        }
        self.inputs = inputs
        self.output = ids(expression.output, ellipsisAxes: ellipsisRank)
        self.sizes = sizes
    }
}
