/// The syntax of placeholders in a literal expected line (FORMAT.md section 3): `{{NAME}}`,
/// `{{/REGEX/}}` (ending at the first `/}}`), `{{VAR=NAME}}`, `{{VAR=/REGEX/}}`, `{{$VAR}}`, and
/// `\{{` for a literal `{{`. The one reader of that syntax: the line compiler gives the pieces
/// their meaning (looks names up, compiles patterns), the updater keeps each placeholder's
/// source text when it rewrites a line.
///
/// Offsets count Characters from the start of the text, as diagnostics report columns.
package enum PlaceholderScanner {
    /// What a placeholder stands for, as written.
    package indirect enum Kind: Sendable, Hashable {
        /// `{{NAME}}`; `nameOffset` is where the name starts.
        case named(String, nameOffset: Int)
        /// `{{/REGEX/}}`; `regexOffset` is where the pattern starts.
        case inline(String, regexOffset: Int)
        /// `{{VAR=...}}`: `pattern` is `.named` or `.inline`.
        case capture(variable: String, variableOffset: Int, pattern: Kind)
        /// `{{$VAR}}`; `variableOffset` is where the name starts.
        case reference(String, variableOffset: Int)
    }

    package enum Piece: Sendable, Hashable {
        /// Literal text starting at `offset` (a `\{{` already read as `{{`).
        case literal(String, offset: Int)
        /// A placeholder: its source text, where it starts, what it stands for.
        case placeholder(source: String, offset: Int, Kind)
    }

    /// Why a line's placeholders cannot be read, and where.
    package struct Failure: Error, Sendable, Hashable {
        package var offset: Int
        package var message: String
        package var help: String
    }

    static let unclosedHelp = "end it with }}, or write \\{{ for a literal {{"

    /// The pieces of `text`, in order: all of them, or those before the first malformed
    /// placeholder and what is wrong with it.
    package struct Scan: Sendable {
        package var pieces: [Piece]
        package var failure: Failure?
    }

    /// The pieces of `text`, or nil when a placeholder is malformed.
    package static func pieces(of text: String) -> [Piece]? {
        let scan = scan(text)
        return scan.failure == nil ? scan.pieces : nil
    }

    /// Reads `text` up to its end or its first malformed placeholder.
    package static func scan(_ text: String) -> Scan {
        let reader = Reader(chars: Array(text))
        let chars = reader.chars
        var pieces: [Piece] = []
        var literal = ""
        var literalStart = 0
        var i = 0
        while i < chars.count {
            if chars[i] == "\\", reader.isOpen(i + 1) {
                if literal.isEmpty { literalStart = i }
                literal += "{{"
                i += 3
                continue
            }
            guard reader.isOpen(i) else {
                if literal.isEmpty { literalStart = i }
                literal.append(chars[i])
                i += 1
                continue
            }
            if !literal.isEmpty { pieces.append(.literal(literal, offset: literalStart)) }
            literal = ""
            switch reader.placeholder(at: i) {
            case .success(let (end, kind)):
                pieces.append(.placeholder(source: String(chars[i..<end]), offset: i, kind))
                i = end
            case .failure(let failure):
                return Scan(pieces: pieces, failure: failure)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal, offset: literalStart)) }
        return Scan(pieces: pieces, failure: nil)
    }

    /// The characters of one line and the readers of its placeholders' parts.
    private struct Reader {
        let chars: [Character]

        func isOpen(_ at: Int) -> Bool { at + 1 < chars.count && chars[at] == "{" && chars[at + 1] == "{" }
        func closes(_ at: Int) -> Bool { at + 1 < chars.count && chars[at] == "}" && chars[at + 1] == "}" }

        /// The name starting at `start` and the index after it.
        func word(from start: Int) -> (String, Int) {
            var end = start
            while end < chars.count, chars[end].unicodeScalars.count == 1,
                  let scalar = chars[end].unicodeScalars.first, PatternLibrary.isNameScalar(scalar) { end += 1 }
            return (String(chars[start..<end]), end)
        }

        /// `/REGEX/}}` starting at `start` (the slash): the regex and the index after `}}`.
        func inlineRegex(from start: Int) -> (String, Int)? {
            var end = start + 1
            while end + 2 < chars.count {
                if chars[end] == "/", chars[end + 1] == "}", chars[end + 2] == "}" {
                    return (String(chars[(start + 1)..<end]), end + 3)
                }
                end += 1
            }
            return nil
        }

        func failure(_ offset: Int, _ message: String, help: String = unclosedHelp) -> Result<(Int, Kind), Failure> {
            .failure(Failure(offset: offset, message: message, help: help))
        }

        /// The placeholder whose `{{` is at `open`: the index after it and what it stands for.
        func placeholder(at open: Int) -> Result<(Int, Kind), Failure> {
            let k = open + 2
            guard k < chars.count else { return failure(open, "unclosed placeholder") }
            if chars[k] == "/" {
                guard let (regex, end) = inlineRegex(from: k) else {
                    return failure(open, "unclosed inline pattern", help: "end it with /}}")
                }
                return .success((end, .inline(regex, regexOffset: k + 1)))
            }
            if chars[k] == "$" {
                let (name, end) = word(from: k + 1)
                guard closes(end) else { return failure(open, "unclosed placeholder") }
                guard isVariableName(name) else {
                    return failure(k + 1, "'\(name)' is not a variable name", help: "variable names are [A-Z_][A-Z0-9_]*")
                }
                return .success((end + 2, .reference(name, variableOffset: k + 1)))
            }
            let (first, afterFirst) = word(from: k)
            if closes(afterFirst), !first.isEmpty { return .success((afterFirst + 2, .named(first, nameOffset: k))) }
            guard afterFirst < chars.count, chars[afterFirst] == "=", !first.isEmpty else {
                if !(open..<chars.count).contains(where: closes) { return failure(open, "unclosed placeholder") }
                return failure(open, "malformed placeholder",
                               help: "write {{NAME}}, {{/REGEX/}}, {{VAR=NAME}}, {{VAR=/REGEX/}} or {{$VAR}}, or \\{{ for a literal {{")
            }
            guard isVariableName(first) else {
                return failure(k, "'\(first)' is not a variable name", help: "variable names are [A-Z_][A-Z0-9_]*")
            }
            return capture(first, variableOffset: k, patternAt: afterFirst + 1, open: open)
        }

        /// The rest of `{{VAR=...}}` from the pattern at `k`.
        private func capture(_ variable: String, variableOffset: Int, patternAt k: Int, open: Int) -> Result<(Int, Kind), Failure> {
            if k < chars.count, chars[k] == "/" {
                guard let (regex, end) = inlineRegex(from: k) else {
                    return failure(open, "unclosed inline pattern", help: "end it with /}}")
                }
                return .success((end, .capture(variable: variable, variableOffset: variableOffset,
                                               pattern: .inline(regex, regexOffset: k + 1))))
            }
            let (name, end) = word(from: k)
            guard closes(end), !name.isEmpty else { return failure(open, "unclosed placeholder") }
            return .success((end + 2, .capture(variable: variable, variableOffset: variableOffset,
                                               pattern: .named(name, nameOffset: k))))
        }
    }

    /// `[A-Z_][A-Z0-9_]*`, the names captures may have.
    package static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
