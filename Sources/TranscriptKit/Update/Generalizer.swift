import PCRE2

/// A command as `record` ran it.
package struct RecordedCommand: Sendable, Hashable {
    package var text: String
    package var output: [UInt8]
    package var exitStatus: Int32

    package init(text: String, output: [UInt8], exitStatus: Int32) {
        self.text = text
        self.output = output
        self.exitStatus = exitStatus
    }
}

/// Turns recorded commands and their output into session lines that pass on another run and
/// another engine: IDs, digests, times and (in Docker's tables) sizes, statuses and generated
/// names become placeholders; an ID that comes up again is captured and reused.
package struct Generalizer {
    package let library: PatternLibrary
    /// Variables the document already captures, whose names must not be reused.
    package let takenNames: Set<String>
    /// What a content line of the new block may not look like, from the document's format.
    package let lineRules: any ContentLineRules

    package init(library: PatternLibrary, takenNames: Set<String> = [],
                 lineRules: any ContentLineRules = DocumentFormats.fallback.newBlockLineRules) {
        self.library = library
        self.takenNames = takenNames
        self.lineRules = lineRules
    }

    /// The session's content lines, and whether the block needs `ws` (a table whose columns
    /// hold values of varying width).
    package struct Result: Sendable, Hashable {
        package var lines: [String]
        package var needsWhitespaceTolerance: Bool
    }

    enum Kind: String, CaseIterable {
        case sha256, id, shortID = "short-id", timestamp, ago, size, status, name

        var isIdentity: Bool { self == .sha256 || self == .id || self == .shortID }
    }

    struct Token {
        var range: Range<Int>
        var kind: Kind
        var text: String
    }

    /// Where a token was found: in the output of command `command`, line `line`, or in its text.
    struct Place: Hashable {
        var command: Int
        var line: Int?
    }

    package func generalize(_ commands: [RecordedCommand]) -> Result {
        let outputs = commands.map { ActualLine.split($0.output, exact: false) }
        let (tokens, table) = tokenize(outputs)
        let names = captureNames(commands, tokens: tokens)
        var lines: [String] = []
        var captured = Set<String>()
        for (c, command) in commands.enumerated() {
            lines += Self.commandLines(substituting(command.text, names: names, captured: captured))
            for (l, line) in outputs[c].enumerated() {
                let context = LineContext(rules: lineRules, followsCommand: l == 0)
                lines.append(expectedLine(line, tokens: tokens[c][l], names: names, captured: &captured, context: context))
            }
            if command.exitStatus != 0 { lines.append(LineRewriter.exitStatusLine(command.exitStatus)) }
        }
        return Result(lines: lines, needsWhitespaceTolerance: table)
    }

    /// The tokens of each command's output, per line, and whether some were found in a table.
    private func tokenize(_ outputs: [[ActualLine]]) -> (tokens: [[[Token]]], table: Bool) {
        var tokens: [[[Token]]] = []
        var table = false
        for lines in outputs {
            let header = lines.first.flatMap { String(validating: $0.bytes, as: UTF8.self) }.flatMap(tableHeader)
            var perLine: [[Token]] = []
            for (index, line) in lines.enumerated() {
                guard let text = String(validating: line.bytes, as: UTF8.self),
                      !line.bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
                    perLine.append([])
                    continue
                }
                let found = scan(text, header: index > 0 ? header : nil)
                if header != nil, index > 0, !found.isEmpty { table = true }
                perLine.append(found)
            }
            tokens.append(perLine)
        }
        return (tokens, table)
    }

    /// Which identity values to capture, and under which names: those printed first and seen
    /// again later (in output or in a command).
    private func captureNames(_ commands: [RecordedCommand], tokens: [[[Token]]]) -> [String: String] {
        var firstPrinted: [String: Place] = [:]
        var firstTyped: [String: Int] = [:]
        var seenAgain = Set<String>()
        var order: [String] = []
        for (c, command) in commands.enumerated() {
            for token in scan(command.text, header: nil) where token.kind.isIdentity {
                if firstTyped[token.text] == nil { firstTyped[token.text] = c }
                if firstPrinted[token.text] != nil { seenAgain.insert(token.text) }
                for (value, _) in firstPrinted where token.kind == .shortID && value.count == 64 && value.hasPrefix(token.text) {
                    seenAgain.insert(value)
                }
            }
            for (l, lineTokens) in tokens[c].enumerated() {
                for token in lineTokens where token.kind.isIdentity {
                    if firstPrinted[token.text] == nil {
                        firstPrinted[token.text] = Place(command: c, line: l)
                        order.append(token.text)
                    } else {
                        seenAgain.insert(token.text)
                    }
                }
            }
        }
        var names: [String: String] = [:]
        var counter = 0
        for value in order where seenAgain.contains(value) {
            if let typed = firstTyped[value], let printed = firstPrinted[value], typed <= printed.command { continue }
            repeat { counter += 1 } while takenNames.contains("ID\(counter)")
            names[value] = "ID\(counter)"
        }
        return names
    }

    /// `$ ` and `> ` lines for a command's text.
    static func commandLines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for (index, part) in parts.enumerated() {
            if index == 0 {
                lines.append(part.isEmpty ? "$" : "$ " + part)
            } else {
                lines.append("> " + part)
            }
        }
        return lines
    }

    /// The command text with each captured ID that an earlier output printed written as its variable.
    func substituting(_ text: String, names: [String: String], captured: Set<String>) -> String {
        let found = scan(text, header: nil).filter { $0.kind.isIdentity }
        guard !found.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var out = ""
        var position = 0
        for token in found {
            var replacement: String?
            if let name = names[token.text], captured.contains(name) {
                replacement = "$" + name
            } else if token.kind == .shortID,
                      let (value, name) = names.first(where: { $0.key.count == 64 && $0.key.hasPrefix(token.text) }),
                      captured.contains(name), !value.isEmpty {
                replacement = "${\(name):0:12}"
            }
            guard let replacement else { continue }
            out += String(decoding: bytes[position..<token.range.lowerBound], as: UTF8.self) + replacement
            position = token.range.upperBound
        }
        return out + String(decoding: bytes[position...], as: UTF8.self)
    }

    /// One output line with its tokens as placeholders, or literal (`(esc)` if need be).
    func expectedLine(_ line: ActualLine, tokens: [Token], names: [String: String], captured: inout Set<String>,
                      context: LineContext) -> String {
        let literal = LineRewriter.expectedLine(for: Array(line.bytes), noEOL: line.noEOL, context: context)
        guard !tokens.isEmpty else { return literal }
        let bytes = Array(line.bytes)
        var out = ""
        var plain = ""
        var position = 0
        var newlyCaptured: [String] = []
        for token in tokens {
            let before = String(decoding: bytes[position..<token.range.lowerBound], as: UTF8.self)
            out += LineRewriter.escapingPlaceholders(before)
            plain += before + "x"
            if let name = names[token.text] {
                if captured.contains(name) || newlyCaptured.contains(name) {
                    out += "{{$\(name)}}"
                } else {
                    out += "{{\(name)=\(token.kind.rawValue)}}"
                    newlyCaptured.append(name)
                }
            } else {
                out += "{{\(token.kind.rawValue)}}"
            }
            position = token.range.upperBound
        }
        let rest = String(decoding: bytes[position...], as: UTF8.self)
        out += LineRewriter.escapingPlaceholders(rest)
        plain += rest
        guard !LineRewriter.needsEscapedForm(plain, context: context) else { return literal }
        captured.formUnion(newlyCaptured)
        return out + (line.noEOL ? " (no-eol)" : "")
    }

    // MARK: Scanning

    /// The column headers a Docker table line shows (`REPOSITORY   TAG   IMAGE ID   SIZE`), or nil.
    func tableHeader(_ line: String) -> Set<String>? {
        guard let regex = try? Regex("^[A-Z][A-Z /()]*[A-Z)](?: {2,}[A-Z][A-Z /()]*[A-Z)])+ *$", options: .utf, jit: false),
              regex.matches(line) else { return nil }
        var columns = Set<String>()
        for column in line.split(separator: "  ", omittingEmptySubsequences: true) {
            let name = String(column).trimmingWhitespace
            if !name.isEmpty { columns.insert(name) }
        }
        return columns
    }

    /// The tokens of `text` worth generalizing, in order. Sizes, statuses and names count only in
    /// a table whose header has that column.
    func scan(_ text: String, header: Set<String>?) -> [Token] {
        var alternatives = [
            "(?<sha256>sha256:[0-9a-f]{64})",
            "(?<id>[0-9a-f]{64})",
            "(?<short>[0-9a-f]{12})",
            "(?<timestamp>" + regex(.timestamp) + ")",
            "(?<ago>" + regex(.ago) + ")",
        ]
        if let header {
            if header.contains("SIZE") || header.contains("VIRTUAL SIZE") { alternatives.append("(?<size>" + regex(.size) + ")") }
            if header.contains("STATUS") { alternatives.append("(?<status>" + regex(.status) + ")") }
            if header.contains("NAMES") { alternatives.append("(?<name>" + regex(.name) + ")") }
        }
        guard let pattern = try? Regex("(?:" + alternatives.joined(separator: "|") + ")(?![0-9A-Za-z_])", options: .utf, jit: false) else {
            return []
        }
        let groups: [(String, Kind)] = [("sha256", .sha256), ("id", .id), ("short", .shortID), ("timestamp", .timestamp),
                                        ("ago", .ago), ("size", .size), ("status", .status), ("name", .name)]
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var position = 0
        while position < bytes.count {
            guard let found = bytes[position...].withUnsafeBufferPointer({ pattern.firstMatch(in: $0) }),
                  let whole = found[group: 0] else { break }
            let range = (whole.lowerBound + position)..<(whole.upperBound + position)
            if range.isEmpty { position += 1; continue }
            if range.lowerBound > 0, isWordByte(bytes[range.lowerBound - 1]) {
                position = range.lowerBound + 1
                continue
            }
            var kind: Kind?
            for (group, candidate) in groups {
                if let number = pattern.groupNumber(named: group), found[group: number] != nil { kind = candidate; break }
            }
            let value = String(decoding: bytes[range], as: UTF8.self)
            if let kind, kind != .shortID || value.contains(where: { $0.isLetter }) {
                if kind != .name || (range.upperBound == bytes.count && value.contains("_")) {
                    tokens.append(Token(range: range, kind: kind, text: value))
                }
            }
            position = range.upperBound
        }
        return tokens
    }

    private func regex(_ kind: Kind) -> String {
        library.pattern(named: kind.rawValue)?.regex ?? "(?!)"
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }
}
