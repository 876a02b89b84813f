import PCRE2

/// One expected line of a `.t` file written as a Markdown expected line that matches the same
/// output lines (`CramConverter`): cram compares literally first, then by the annotation, over
/// the indented display; Markdown compares by the annotation alone over the line itself.
struct CramLineConversion {
    let indent: Int
    let file: String

    private static let annotations = [" (re)", " (glob)", " (esc)", " (equal)", " (no-eol)"]

    /// The Markdown line for `line` of `command`, or an error where no Markdown line means the
    /// same. `literalToo`: the line may meet its own text (nested, or the command prints the
    /// annotation), so a pattern line keeps that alternative as cram does.
    func convert(_ line: ExpectedLine, command: Command) throws(Diagnostic) -> String {
        let text = line.text
        let literalToo = isNested(text) || Self.annotations.dropLast().contains { command.text.contains($0.dropFirst()) }
        if text.hasSuffix(" (re)") { return try regex(line, pattern: String(text.dropLast(5)), literalToo: literalToo) }
        if text.hasSuffix(" (glob)") { return glob(line, glob: String(text.dropLast(7)), literalToo: literalToo) }
        if text.hasSuffix(" (esc)"), let decoded = CramDisplay.decode(Array(text.utf8).dropLast(6)[...]) {
            if !literalToo { return escaped(decoded) }
            if let shown = String(validating: decoded, as: UTF8.self), !shown.hasSuffix(" (no-eol)") {
                return "(?:" + Regex.escape(shown) + "|" + Regex.escape(text) + ") (re)"
            }
        }
        return literal(text)
    }

    /// A line compared as written: `(equal)` where Markdown would read it otherwise. A trailing
    /// ` (no-eol)` keeps its meaning: cram shows a line without a newline so.
    func literal(_ text: String) -> String {
        if text.hasSuffix(" (no-eol)") { return literal(String(text.dropLast(9))) + " (no-eol)" }
        if text == "$" { return "\\x24 (esc)" }
        let special = text == "..." || text.contains("{{") || Self.annotations.contains { text.hasSuffix($0) }
            || SessionCommandParser.parseExitStatus(text) != nil
        return special ? text + " (equal)" : text
    }

    /// A line of a nested test's output (a diff of one, a `.t` file shown): after an optional
    /// diff marker, it starts with the indent. cram matches such a line literally as often as
    /// by its pattern, so the conversion keeps both.
    func isNested(_ text: String) -> Bool {
        let spaces = String(repeating: " ", count: indent)
        if text.hasPrefix(spaces) { return true }
        guard let first = text.first, "+- ".contains(first) else { return false }
        return text.dropFirst().hasPrefix(spaces)
    }

    /// `(esc)`: the bytes Python's escapes stand for, in the Markdown `(esc)` spelling; a line
    /// cram shows without a newline keeps its `(no-eol)`.
    private func escaped(_ bytes: [UInt8]) -> String {
        var body = bytes
        let noEOL = Array(" (no-eol)".utf8)
        let missingNewline = body.hasSuffix(noEOL)
        if missingNewline { body.removeLast(noEOL.count) }
        guard let plain = String(validating: body, as: UTF8.self), !plain.isEmpty,
              !body.contains(where: { $0 < 0x20 || $0 == 0x7F }), literal(plain) == plain, !plain.hasSuffix(" ") else {
            let spelled = Self.escapeAll(body)
            return spelled + " (esc)" + (missingNewline ? " (no-eol)" : "")
        }
        return plain + (missingNewline ? " (no-eol)" : "")
    }

    /// Every byte that is not plain ASCII as `\xHH`, in the Markdown `(esc)` spelling.
    static func escapeAll(_ bytes: [UInt8]) -> String {
        var out = ""
        for (offset, byte) in bytes.enumerated() {
            // A first `$`, `>` or `[` could read as a command, a continuation or a status.
            if offset == 0, [UInt8(ascii: "$"), UInt8(ascii: ">"), UInt8(ascii: "[")].contains(byte) {
                out += "\\x" + String(format2: byte)
            } else if byte == UInt8(ascii: "\\") {
                out += "\\\\"
            } else if byte >= 0x21, byte < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "\\x" + String(format2: byte)
            }
        }
        return out
    }

    /// `(glob)`: the same glob over the line itself (the indent was a literal prefix); a nested
    /// line becomes a pattern that also takes its own text.
    private func glob(_ line: ExpectedLine, glob: String, literalToo: Bool) -> String {
        guard literalToo else { return line.text }
        let source = CramLinePattern.globSource(Array(glob.utf8))
        return "(?:" + source + "|" + Regex.escape(line.text) + ") (re)"
    }

    /// `(re)`: an invalid pattern is its text; a valid one becomes a whole-line PCRE2 pattern
    /// with cram's anchoring: each alternative but the last matches a start of the line.
    private func regex(_ line: ExpectedLine, pattern: String, literalToo: Bool) throws(Diagnostic) -> String {
        let python = Array(pattern.utf8) + Array("\\Z".utf8)
        guard case .pcre2(let translated) = PythonRegex.translate(Array(repeating: 0x20, count: indent) + python),
              (try? Regex(translated, options: [.anchored])) != nil,
              case .pcre2(let source) = PythonRegex.translate(python) else {
            return line.text + " (equal)"
        }
        let alternatives = try kept(RegexAlternatives.split(source), line: line)
        var parts: [String] = []
        for (index, alternative) in alternatives.enumerated() {
            // Only the last alternative carries the `\Z` cram appends; the others match a start.
            if index == alternatives.count - 1, let anchored = Self.withoutEndAnchor(alternative) {
                parts.append(anchored)
            } else {
                parts.append("(?:" + alternative + ").*")
            }
        }
        if literalToo { parts.append(Regex.escape(line.text)) }
        if parts.isEmpty { return line.text + " (equal)" }
        let whole = parts.count == 1 ? parts[0] : parts.map { "(?:" + $0 + ")" }.joined(separator: "|")
        guard (try? Regex(whole, options: .wholeLine)) != nil else { throw unfaithful(line, "its pattern does not compile as a line pattern") }
        return whole + " (re)"
    }

    /// `alternative` without the `\z` that ends it (an unescaped one), or nil.
    static func withoutEndAnchor(_ alternative: String) -> String? {
        guard alternative.hasSuffix("\\z") else { return nil }
        let body = alternative.dropLast(2)
        let backslashes = body.reversed().prefix { $0 == "\\" }.count
        return backslashes % 2 == 0 ? String(body) : nil
    }

    /// The alternatives with cram's indent taken off: the first starts after it; a later one
    /// must match it itself, so its leading spaces go, and one that starts with other text
    /// can never match and is left out.
    private func kept(_ alternatives: [String], line: ExpectedLine) throws(Diagnostic) -> [String] {
        var out: [String] = []
        for (index, alternative) in alternatives.enumerated() {
            var rest = Substring(alternative)
            if index > 0 {
                let spaces = String(repeating: " ", count: indent)
                if rest.hasPrefix(spaces), !RegexAlternatives.isQuantifier(rest.dropFirst(indent).first) {
                    rest = rest.dropFirst(indent)
                } else if let first = rest.first, RegexAlternatives.isPlainLiteral(first), first != " ",
                          !RegexAlternatives.isQuantifier(rest.dropFirst().first) {
                    continue
                } else {
                    throw unfaithful(line, "alternative \(index + 1) must match cram's indent, which Markdown does not show")
                }
            }
            if rest.hasPrefix("^") || rest.hasPrefix("\\A") { continue }
            if rest.hasPrefix("\\b") || rest.hasPrefix("\\B") || rest.hasPrefix("(?<") {
                throw unfaithful(line, "an alternative starts by looking back at cram's indent")
            }
            out.append(String(rest))
        }
        return out
    }

    private func unfaithful(_ line: ExpectedLine, _ why: String) -> Diagnostic {
        Diagnostic(file: file, line: line.line, column: line.column,
                   message: "this (re) line cannot be converted faithfully: \(why)",
                   help: "rewrite the pattern so that each alternative starts with text of its own, then convert again")
    }
}

extension String {
    /// Two lowercase hex digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
