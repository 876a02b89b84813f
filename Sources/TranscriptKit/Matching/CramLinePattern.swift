import PCRE2

/// One expected line of a cram `.t` file, compiled once: compared with an output line's display
/// (`CramDisplay.Line`) literally first, then as `(esc)` text, then by its `(glob)` or `(re)`,
/// as cram does; a line whose pattern Python would reject is compared in the other ways only.
struct CramLinePattern: Sendable {
    /// The line as written (without the indent).
    var source: ExpectedLine
    let written: [UInt8]
    /// The line as `(esc)` compares it: decoded when it ends in ` (esc)`.
    let unescaped: [UInt8]
    /// The `(glob)` or `(re)` pattern, matched at the start of the indented display.
    let pattern: Regex?
    /// The indent, which the pattern and the display both start with.
    let indent: [UInt8]

    private static let reSuffix = Array(" (re)".utf8)
    private static let globSuffix = Array(" (glob)".utf8)
    private static let escSuffix = Array(" (esc)".utf8)

    /// Compiles `line`; a `(re)` construct PCRE2 cannot say is an error (a diagnostic).
    init(_ line: ExpectedLine, indent: Int, file: String, cache: RegexCache? = nil) throws(Diagnostic) {
        func compile(_ source: String) -> Regex? {
            if let cache { return try? cache.regex(source, options: [.anchored]) }
            return try? Regex(source, options: [.anchored], jit: false)
        }
        source = line
        written = Array(line.text.utf8)
        self.indent = Array(repeating: 0x20, count: indent)
        if written.hasSuffix(Self.escSuffix) {
            unescaped = CramDisplay.decode(written.dropLast(Self.escSuffix.count)) ?? written
        } else {
            unescaped = written
        }
        if written.hasSuffix(Self.reSuffix) {
            let python = self.indent + written.dropLast(Self.reSuffix.count) + Array("\\Z".utf8)
            switch PythonRegex.translate(python) {
            case .pcre2(let source): pattern = compile(source)
            case .invalid: pattern = nil
            case .unsupported(let offset, let construct):
                throw Diagnostic(file: file, line: line.line, column: line.column + max(0, offset - indent),
                                 message: "\(construct) in a (re) line has no PCRE2 equivalent",
                                 help: "write the pattern without it, or drop (re) to compare the line literally")
            }
        } else if written.hasSuffix(Self.globSuffix) {
            let glob = self.indent + written.dropLast(Self.globSuffix.count)
            pattern = compile(Self.globSource(glob) + "\\z")
        } else {
            pattern = nil
        }
    }

    /// cram's glob as a pattern: `*` any run, `?` one byte, `\*` `\?` `\\` themselves.
    static func globSource(_ glob: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < glob.count {
            let byte = glob[index]
            index += 1
            if byte == UInt8(ascii: "\\"), index < glob.count, [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "\\")].contains(glob[index]) {
                out += [byte, glob[index]]
                index += 1
            } else if byte == UInt8(ascii: "*") {
                out += Array(".*".utf8)
            } else if byte == UInt8(ascii: "?") {
                out.append(UInt8(ascii: "."))
            } else if byte < 0x80, !(Character(Unicode.Scalar(byte)).isLetter || Character(Unicode.Scalar(byte)).isNumber) {
                out += [UInt8(ascii: "\\"), byte]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the output line `actual` matches.
    func matches(_ actual: CramDisplay.Line) -> Bool {
        if written == actual.display || unescaped == actual.display { return true }
        if let decoded = actual.decoded, unescaped == decoded { return true }
        guard let pattern else { return false }
        let subject = indent + actual.display
        return subject.withUnsafeBufferPointer { pattern.matches($0) }
    }
}

extension Array where Element == UInt8 {
    func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
