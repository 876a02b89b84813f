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
/// another engine: the file's temporary directory becomes `{{$TMPDIR}}`; IDs, digests, git
/// hashes, times, measured durations and (in Docker's tables) sizes, statuses and generated
/// names become placeholders; an ID that comes up again is captured and reused.
package struct Generalizer {
    package let library: PatternLibrary
    /// Variables the document already captures, whose names must not be reused.
    package let takenNames: Set<String>
    /// What a content line of the new block may not look like, from the document's format.
    package let lineRules: any ContentLineRules
    /// The built-in variables' values in the recording run (name, value), longest value first:
    /// where output shows one, it is written as `{{$NAME}}`.
    let variables: [(name: String, value: String)]

    package init(library: PatternLibrary, takenNames: Set<String> = [],
                 lineRules: any ContentLineRules = DocumentFormats.fallback.newBlockLineRules,
                 variables: [String: String] = [:]) {
        self.library = library
        self.takenNames = takenNames
        self.lineRules = lineRules
        // A value of "/" or empty would turn every path into a variable.
        self.variables = variables.filter { $0.value.count > 1 }.map { (name: $0.key, value: $0.value) }
            .sorted { ($0.value.count, $0.name) > ($1.value.count, $1.name) }
    }

    /// The session's content lines, and whether the block needs `ws` (a table whose columns
    /// hold values of varying width).
    package struct Result: Sendable, Hashable {
        package var lines: [String]
        package var needsWhitespaceTolerance: Bool
        /// Where each output line went among `lines`.
        var places: [Place: Int] = [:]
    }

    /// What a token is: a named pattern's name, or a built-in variable.
    enum Kind: String, CaseIterable, Sendable {
        case sha256, id, shortID = "short-id", gitHash = "git-hash", uuid, timestamp, datetime, zonedTime = "zoned-time"
        case lsDate = "ls-date", duration, ago, size, humanSize = "human-size", status, name, int, number, hex, percent
        case variable = "$", any

        var isIdentity: Bool { [.sha256, .id, .shortID, .gitHash, .uuid].contains(self) }
    }

    /// A run of a line's bytes to write as a placeholder.
    struct Token: Sendable, Hashable {
        var range: Range<Int>
        var kind: Kind
        var text: String
        /// The built-in variable's name, for `.variable`.
        var variable: String?
        /// The placeholder to write instead of the kind's (an inline pattern).
        var written: String?

        /// `{{kind}}`, or `{{$NAME}}` for a built-in variable.
        var placeholder: String {
            if let written { return written }
            if kind == .variable, let variable { return "{{$\(variable)}}" }
            return "{{\(kind.rawValue)}}"
        }
    }

    /// Where a token was found: in the output of command `command`, line `line`, or in its text.
    package struct Place: Hashable, Sendable {
        var command: Int
        var line: Int?
    }

    /// The session lines for `commands`.
    package func generalize(_ commands: [RecordedCommand]) -> Result {
        generalize(commands, hints: [:])
    }

    /// The same; `hints` adds tokens (by command and output line) that a
    /// second run showed to vary; they win over the tokens found here where they overlap.
    func generalize(_ commands: [RecordedCommand], hints: [Place: [Token]]) -> Result {
        let outputs = commands.map { ActualLine.split($0.output, exact: false) }
        var (tokens, table) = tokenize(outputs, commands: commands)
        for (place, extra) in hints {
            guard let line = place.line, tokens.indices.contains(place.command), tokens[place.command].indices.contains(line) else { continue }
            tokens[place.command][line] = Self.merging(extra, into: tokens[place.command][line])
        }
        let names = captureNames(commands, tokens: tokens)
        var lines: [String] = []
        var places: [Place: Int] = [:]
        var captured = Set<String>()
        for (c, command) in commands.enumerated() {
            lines += Self.commandLines(substituting(command.text, names: names, captured: captured))
            for (l, line) in outputs[c].enumerated() {
                let context = LineContext(rules: lineRules, followsCommand: l == 0)
                places[Place(command: c, line: l)] = lines.count
                lines.append(expectedLine(line, tokens: tokens[c][l], names: names, captured: &captured, context: context))
            }
            if command.exitStatus != 0 { lines.append(LineRewriter.exitStatusLine(command.exitStatus)) }
        }
        return Result(lines: lines, needsWhitespaceTolerance: table, places: places)
    }

    /// The tokens of each command's output, per line, and whether some were found in a table.
    private func tokenize(_ outputs: [[ActualLine]], commands: [RecordedCommand]) -> (tokens: [[[Token]]], table: Bool) {
        var tokens: [[[Token]]] = []
        var table = false
        for (c, lines) in outputs.enumerated() {
            let git = Self.runsGit(commands[c].text)
            let header = lines.first.flatMap { String(validating: $0.bytes, as: UTF8.self) }.flatMap(tableHeader)
            var perLine: [[Token]] = []
            for (index, line) in lines.enumerated() {
                guard let text = String(validating: line.bytes, as: UTF8.self),
                      !line.bytes.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
                    perLine.append([])
                    continue
                }
                let found = scan(text, context: ScanContext(header: index > 0 ? header : nil, git: git, variables: variables))
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
            for token in scan(command.text, context: ScanContext(git: Self.runsGit(command.text))) where token.kind.isIdentity {
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
        let found = scan(text, context: ScanContext(git: Self.runsGit(text))).filter { $0.kind.isIdentity }
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
            if token.kind.isIdentity, let name = names[token.text] {
                if captured.contains(name) || newlyCaptured.contains(name) {
                    out += "{{$\(name)}}"
                } else {
                    out += "{{\(name)=\(token.kind.rawValue)}}"
                    newlyCaptured.append(name)
                }
            } else {
                out += token.placeholder
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
}
