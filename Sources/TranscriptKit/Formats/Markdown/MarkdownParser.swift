/// Turns a CommonMark document into a `Transcript`: finds session blocks (fenced `console`,
/// `shell-session` and `sh-session` blocks, at any nesting in block quotes and list items, and
/// hidden `<!-- transcript` comments), their option comments, and the commands inside them.
package enum MarkdownParser {
    /// The first words of an info string that make a fenced code block a session block.
    package static let sessionLanguages: Set<String> = ["console", "shell-session", "sh-session"]

    /// Parses `source`. Every problem found is reported, each with its line and column.
    package static func parse(_ source: SourceFile) throws(Diagnostics) -> Transcript {
        var scanner = BlockScanner(source: source)
        scanner.scan()
        let transcript = Transcript(source: source, fileOptions: scanner.fileOptions, fileOptionsLine: scanner.fileOptionsLine,
                                    blocks: scanner.blocks)
        if !scanner.diagnostics.isEmpty {
            let lines = Set(scanner.diagnostics.map(\.line))
            var partial = transcript
            partial.blocks = transcript.blocks.filter { block in !lines.contains { block.openingLine <= $0 && $0 <= block.closingLine } }
            throw Diagnostics(scanner.diagnostics, partial: partial)
        }
        return transcript
    }

    /// An info string as CommonMark reads it (its first word names the language): backslash
    /// escapes of ASCII punctuation and numeric character references decoded (`shell\-session`,
    /// `con&#115;ole`); of the named references, those that could spell a session language or
    /// end a word (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&hyphen;`, `&dash;`).
    package static func decodingInfoString(_ info: String) -> String {
        let word = info
        guard word.contains("\\") || word.contains("&") else { return word }
        var out = ""
        var rest = Substring(word)
        while let first = rest.first {
            if first == "\\", let next = rest.dropFirst().first, next.isASCII, next.isPunctuation || next.isSymbol {
                out.append(next)
                rest = rest.dropFirst(2)
                continue
            }
            if first == "&", let end = rest.firstIndex(of: ";"), rest.distance(from: rest.startIndex, to: end) <= 32 {
                let name = rest[rest.index(after: rest.startIndex)..<end]
                if let decoded = decodeEntity(name) {
                    out.append(decoded)
                    rest = rest[rest.index(after: end)...]
                    continue
                }
            }
            out.append(first)
            rest = rest.dropFirst()
        }
        return out
    }

    private static func decodeEntity(_ name: Substring) -> Character? {
        let named: [Substring: Character] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "hyphen": "-", "dash": "-"]
        if let character = named[name] { return character }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if let marker = digits.first, marker == "x" || marker == "X" {
            value = digits.count > 1 && digits.count <= 7 ? UInt32(digits.dropFirst(), radix: 16) : nil
        } else {
            value = !digits.isEmpty && digits.count <= 7 ? UInt32(digits, radix: 10) : nil
        }
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
        return Character(scalar)
    }
}
