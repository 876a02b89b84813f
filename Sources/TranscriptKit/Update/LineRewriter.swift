import PCRE2

/// Where a rewritten expected line will stand: what could make a literal line mean something
/// else there (the end of its block, as its format's rules say; a `> ` continuation).
package struct LineContext: Sendable {
    /// What the block's format would read as something other than a content line.
    package var rules: any ContentLineRules
    /// The block has the `exact` option: trailing white space is significant.
    package var exact: Bool
    /// The line directly follows the command's last line (where `> ` would continue the command).
    package var followsCommand: Bool

    package init(rules: any ContentLineRules, exact: Bool = false, followsCommand: Bool = false) {
        self.rules = rules
        self.exact = exact
        self.followsCommand = followsCommand
    }
}

/// Writes actual output lines as expected lines that parse back to exactly that expectation:
/// literal where that is unambiguous, `(esc)` where a literal would be read as something else.
package enum LineRewriter {
    /// The expected line (content, without container prefix) for one actual output line.
    package static func expectedLine(for bytes: [UInt8], noEOL: Bool, context: LineContext) -> String {
        var line: String
        if let text = String(validating: bytes, as: UTF8.self), !needsEscapedForm(text, context: context),
           !noEOL || !needsEscapedForm(text + " (no-eol)", context: context, annotated: true) {
            line = escapingPlaceholders(text)
        } else {
            line = escapedForm(bytes, context: context) + " (esc)"
        }
        if noEOL { line += " (no-eol)" }
        return line
    }

    /// `[N]`, the line of an expected exit status.
    package static func exitStatusLine(_ status: Int32) -> String { "[\(status)]" }

    /// `text` with every `{{` written `\{{`, so that it is read as literal text.
    package static func escapingPlaceholders(_ text: String) -> String {
        guard text.contains("{{") else { return text }
        var out = ""
        var chars = Substring(text)
        while let range = chars.range(of: "{{") {
            out += chars[..<range.lowerBound]
            out += "\\{{"
            chars = chars[range.upperBound...]
        }
        return out + chars
    }

    /// Whether the literal spelling of `text` would be read as something other than that text.
    /// `annotated`: `text` already ends in the annotation it will be written with; only whether
    /// its start reads as a command or a continuation line matters then (`>` and ` (no-eol)`
    /// make `> (no-eol)`).
    package static func needsEscapedForm(_ text: String, context: LineContext, annotated: Bool = false) -> Bool {
        if annotated {
            return SessionCommandParser.commandText(text) != nil
                || (context.followsCommand && SessionCommandParser.promptContinuation(text) != nil)
        }
        let bytes = Array(text.utf8)
        if bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) { return true }
        if text == "..." { return true }
        if SessionCommandParser.commandText(text) != nil { return true }
        if context.followsCommand, SessionCommandParser.promptContinuation(text) != nil { return true }
        if SessionCommandParser.parseExitStatus(text) != nil { return true }
        for annotation in LineCompiler.trailingAnnotations {
            if text.trimmingTrailingBlanks.hasSuffix(annotation) { return true }
        }
        if context.rules.misreads(bytes) { return true }
        if context.exact, let last = bytes.last, last == 0x20 || last == 0x09 { return true }
        // A tab in the leading white space can be taken apart by a container's prefix.
        if bytes.prefix(while: { $0 == 0x20 || $0 == 0x09 }).contains(0x09) { return true }
        return false
    }

    /// The `(esc)` spelling of `bytes` (without the annotation): `\t`, `\r`, `\\`, `\xHH` for
    /// control bytes and invalid UTF-8, and `\xHH` for the characters that would otherwise make
    /// the line mean something else (a leading `$`, `>`, `[` or `.`, what the format's rules
    /// name, the `(` of a trailing annotation, trailing white space).
    package static func escapedForm(_ bytes: [UInt8], context: LineContext) -> String {
        var forced = Set<Int>()
        let leading = bytes.prefix(while: { $0 == 0x20 || $0 == 0x09 }).count
        for index in 0..<leading where bytes[index] == 0x09 { forced.insert(index) }
        if let first = bytes.first, [UInt8(ascii: "$"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: ".")].contains(first) {
            forced.insert(0)
        }
        forced.formUnion(context.rules.offsetsToEscape(in: bytes))
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if context.exact { for index in end..<bytes.count { forced.insert(index) } }
        // ` (re)` and the like at the end: escaping the `(` keeps the annotation from being read.
        if end > 0, bytes[end - 1] == UInt8(ascii: ")"), let open = bytes[..<end].lastIndex(of: UInt8(ascii: "(")),
           open > 0, bytes[open - 1] == 0x20 {
            forced.insert(open)
        }

        var out = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if forced.contains(index) {
                out += byte == 0x09 ? "\\t" : "\\x" + hex2(byte)
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x80...:
                // Keep valid multi-byte characters readable.
                let length = utf8Length(bytes, at: index)
                if length > 0, let text = String(validating: bytes[index..<(index + length)], as: UTF8.self) {
                    out += text
                    index += length
                    continue
                }
                out += "\\x" + hex2(byte)
            default: out += "\\x" + hex2(byte)
            }
            index += 1
        }
        return out
    }

    /// The length of a valid UTF-8 sequence at `index`, or 0.
    private static func utf8Length(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        return String(validating: bytes[index..<(index + length)], as: UTF8.self) == nil ? 0 : length
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    // MARK: Keeping placeholders

    /// The author's line `expected` with its placeholders kept and its literal text replaced by
    /// the actual line's, when the actual line fits every placeholder at its place; nil when it
    /// does not, or when `expected` is not a plain line with placeholders.
    package static func keepingPlaceholders(expected: String, actual bytes: [UInt8], noEOL: Bool,
                                            library: PatternLibrary, variables: [String: String],
                                            context: LineContext) -> String? {
        var text = expected
        if !context.exact { text = text.trimmingTrailingBlanks }
        let expectsNoEOL = text.hasSuffix(" (no-eol)")
        if expectsNoEOL { text.removeLast(9) }
        guard text != "...", !["re", "glob", "esc"].contains(where: { text.hasSuffix(" (\($0))") }),
              let segments = PlaceholderLine.split(text), segments.contains(where: { !$0.isLiteral }),
              let actual = String(validating: bytes, as: UTF8.self) else { return nil }
        var source = ""
        var groups: [Int] = []
        var group = 0
        for segment in segments {
            switch segment {
            case .literal:
                group += 1
                groups.append(group)
                source += "(.*?)"
            case .placeholder(_, let kind):
                guard let regex = kind.regex(library: library, variables: variables) else { return nil }
                source += "(?:" + regex + ")"
                groups.append(0)
            }
        }
        guard let regex = try? Regex(source, options: .wholeLine, jit: false), let found = regex.firstMatch(in: actual) else {
            return nil
        }
        let actualBytes = Array(actual.utf8)
        var out = ""
        for (segment, number) in zip(segments, groups) {
            switch segment {
            case .literal:
                guard let range = found[group: number] else { return nil }
                out += escapingPlaceholders(String(decoding: actualBytes[range], as: UTF8.self))
            case .placeholder(let written, _):
                out += written
            }
        }
        // The literal text taken over must not turn the line into something else.
        let plain = out.replacingPlaceholders()
        if needsEscapedForm(plain, context: context) || needsEscapedForm(out, context: context) { return nil }
        if noEOL { out += " (no-eol)" }
        return out
    }
}

/// A literal expected line split into literal text and placeholders, as the line compiler
/// reads it.
package enum PlaceholderLine {
    package enum Kind: Sendable, Hashable {
        case named(String)
        case inline(String)
        case reference(String)

        func regex(library: PatternLibrary, variables: [String: String]) -> String? {
            switch self {
            case .named(let name): return library.pattern(named: name)?.regex
            case .inline(let regex): return regex
            // A variable the failed run did not capture is likely captured once the document is
            // updated; the run after the update checks the guess.
            case .reference(let variable): return variables[variable].map { Regex.escape($0) } ?? "\\S+"
            }
        }
    }

    package enum Segment: Sendable, Hashable {
        /// Literal text (a `\{{` already read as `{{`).
        case literal(String)
        /// A placeholder as written, and what it matches.
        case placeholder(String, Kind)

        package var isLiteral: Bool {
            if case .literal = self { return true }
            return false
        }
    }

    /// The segments of `text`, or nil when a placeholder is malformed.
    package static func split(_ text: String) -> [Segment]? {
        PlaceholderScanner.pieces(of: text)?.map { piece in
            switch piece {
            case .literal(let literal, _): return .literal(literal)
            case .placeholder(let source, _, let kind): return .placeholder(source, Kind(kind))
            }
        }
    }
}

extension PlaceholderLine.Kind {
    /// What the updater needs of a placeholder: the pattern it matches (a capture matches its own).
    init(_ kind: PlaceholderScanner.Kind) {
        switch kind {
        case .named(let name, _): self = .named(name)
        case .inline(let regex, _): self = .inline(regex)
        case .capture(_, _, let pattern): self.init(pattern)
        case .reference(let variable, _): self = .reference(variable)
        }
    }
}

extension String {
    /// The line with each placeholder replaced by `x`, to check what its literal text looks like.
    func replacingPlaceholders() -> String {
        guard let segments = PlaceholderLine.split(self) else { return self }
        return segments.map { segment -> String in
            switch segment {
            case .literal(let text): return text
            case .placeholder: return "x"
            }
        }.joined()
    }
}
