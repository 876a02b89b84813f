import PCRE2

/// One expectation of a scrut block written as the Markdown expected line that takes the same
/// output lines (`ScrutConverter`), in an `exact` block: the kind becomes its Markdown annotation
/// with scrut's quantifier on it (`(re+)`, `(equal?)`), a glob or regex line that scrut matches
/// with or without its newline gets `(any-eol)`, and escapes are spelled as `(esc)` spells them.
struct ScrutLineConversion {
    let file: String

    /// The Markdown line for `line`, or an error where no Markdown line means the same.
    func convert(_ line: ExpectedLine) throws(Diagnostic) -> String {
        let parts = ScrutLinePattern.parts(of: line.text)
        var bytes = Array(parts.text.utf8)
        if parts.kinds.contains("escaped") { bytes = try ScrutLinePattern.decodeEscaped(parts.text, line: line, file: file) }
        let mark = Self.mark(parts.quantifier)
        if parts.kinds.contains("regex") { return try regex(bytes, mark: mark, line: line) + " (any-eol)" }
        if parts.kinds.contains("glob") { return try glob(bytes, mark: mark, line: line) + " (any-eol)" }
        // scrut compares an escaped line without its newline.
        let eol = parts.kinds.contains("no-eol") ? " (no-eol)" : parts.kinds.contains("escaped") ? " (any-eol)" : ""
        return literal(bytes, mark: mark) + eol
    }

    /// A quantifier as written after a kind.
    static func mark(_ quantifier: LineQuantifier) -> String {
        switch quantifier {
        case .one: return ""
        case .optional: return "?"
        case .any: return "*"
        case .some: return "+"
        }
    }

    /// Bytes compared as they are: the plain text where Markdown reads it so, else with
    /// `(equal)`, or spelled with `(esc)` when it holds control bytes or is not UTF-8.
    func literal(_ bytes: [UInt8], mark: String) -> String {
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            return CramLineConversion.escapeAll(bytes) + " (esc\(mark))"
        }
        // A scrut block has one command: a later line shaped like one is output, which Markdown
        // would run. Its `$` is spelled as an escape.
        if SessionCommandParser.commandText(text) != nil { return Self.dollarEscaped(text) + " (esc\(mark))" }
        return mark.isEmpty && !Self.readsOtherwise(text) ? text : text + " (equal\(mark))"
    }

    /// The `(esc)` spelling of a line that starts with `$`: the `$` as `\x24`, backslashes
    /// doubled, trailing blanks escaped (the text holds no control byte).
    static func dollarEscaped(_ text: String) -> String {
        let rest = text.dropFirst()
        let kept = rest.reversed().drop { $0 == " " || $0 == "\t" }.count
        let trailing = rest.dropFirst(kept).map { $0 == " " ? "\\x20" : "\\x09" }.joined()
        return "\\x24" + rest.prefix(kept).replacingOccurrences(of: "\\", with: "\\\\") + trailing
    }

    /// Whether Markdown would read `text` as more than its bytes: `...`, a placeholder, a
    /// trailing annotation (Markdown's or scrut's), a status, or a prompt and its answer.
    static func readsOtherwise(_ text: String) -> Bool {
        if text == "..." || text.contains("{{") || SessionCommandParser.parseExitStatus(text) != nil {
            return true
        }
        if ScrutLinePattern.annotation(endingAt: Substring(text)) != nil { return true }
        if LineCompiler.trailingAnnotations.contains(where: { text.hasSuffix($0) }) { return true }
        return PromptShapes().answer(in: ExpectedLine(text: text, line: 0, column: 0)) != nil
    }

    /// `(regex)`: scrut writes `^` and `$` around the pattern and searches the line; a pattern of
    /// one alternative means the same over the whole line, others keep that form inside `.*`.
    private func regex(_ bytes: [UInt8], mark: String, line: ExpectedLine) throws(Diagnostic) -> String {
        guard let body = Self.spellingControls(bytes) else { throw unfaithful(line, "its pattern is not UTF-8 text") }
        let whole = RegexAlternatives.split(body).count == 1 ? body : ".*(?:^" + body + "$).*"
        do {
            _ = try Regex(whole, options: .wholeLine)
        } catch {
            throw Diagnostic(file: file, line: line.line, column: line.column + error.characterOffset,
                             message: "pattern does not compile: \(error.message)", help: "fix the pattern")
        }
        return whole + " (re\(mark))"
    }

    /// `(glob)`: the same glob where its text reads as Markdown's; with control bytes (an
    /// `(escaped) (glob)` line) the glob's regex, the bytes spelled `\xHH`.
    private func glob(_ bytes: [UInt8], mark: String, line: ExpectedLine) throws(Diagnostic) -> String {
        guard let text = String(validating: bytes, as: UTF8.self),
              let source = Self.spellingControls(Array(CramLinePattern.globSource(bytes).utf8)) else {
            throw unfaithful(line, "its glob is not UTF-8 text")
        }
        return bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) ? source + " (re\(mark))" : text + " (glob\(mark))"
    }

    /// Regex source with each control byte written `\xHH` (one a backslash escaped stands for
    /// itself either way); nil when it is not UTF-8.
    static func spellingControls(_ bytes: [UInt8]) -> String? {
        var out: [UInt8] = []
        for byte in bytes {
            guard byte < 0x20 || byte == 0x7F else { out.append(byte); continue }
            let backslashes = out.reversed().prefix { $0 == UInt8(ascii: "\\") }.count
            if backslashes % 2 == 1 { out.removeLast() }
            out += Array(("\\x" + String(format2: byte)).utf8)
        }
        return String(validating: out, as: UTF8.self)
    }

    private func unfaithful(_ line: ExpectedLine, _ why: String) -> Diagnostic {
        Diagnostic(file: file, line: line.line, column: line.column,
                   message: "this line cannot be converted faithfully: \(why)",
                   help: "write the line with (escaped) escapes for its bytes, then convert again")
    }
}
