/// Seeded mutations of transcript documents: byte edits, and whole tokens and lines of the format
/// (fences, prompts, placeholders, option comments) inserted, duplicated, swapped or spliced.
struct Mutator {
    var random: SplitMix
    let corpus: [[UInt8]]

    /// Pieces of the format, so mutations reach past the parser's first checks.
    static let tokens: [String] = [
        "$ ", "> ", "\\\n", "[1]", "[2]", "...", "```console\n", "```\n", "~~~sh-session\n", "<!-- transcript\n", "-->\n",
        "<!-- transcript: exact -->\n", "<!-- transcript: unordered -->\n", "<!-- transcript: background -->\n",
        "<!-- transcript-file: timeout=2s -->\n", "<!-- transcript: requires=cmd:nonexistent -->\n",
        "<!-- transcript: examples=docker -->\n", "<!-- transcript: terminal -->\n", "{{", "}}", "{{int}}", "{{ID=/x+/}}",
        "{{$ID}}", "{{ID=short-id}}", "{{/[a-z]+/}}", "{{/(/}}", "{{sha256}}", "{{any}}", " (re)", " (glob)", " (esc)",
        " (no-eol)", "\\x00", "\\xff", "\u{1b}[0m", "\r\n", "\r", "\t", "    ", "> - ", "1. ", "\u{e9}", "$ID",
        "Continue? [y/N] y\n", "$ echo hello\nhello\n", "$ (exit 3)\n[3]\n", "diverges=\"x\"", "skip", "ws",
    ]

    /// A mutation of one corpus document: 1 to 8 edits.
    mutating func mutate() -> [UInt8] {
        var bytes = corpus.randomElement(using: &random) ?? []
        for _ in 0..<Int.random(in: 1...8, using: &random) { edit(&bytes) }
        return Array(bytes.prefix(64 << 10))
    }

    private mutating func edit(_ bytes: inout [UInt8]) {
        let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where !bytes.isEmpty:
            bytes[min(at, bytes.count - 1)] = UInt8.random(in: 0...255, using: &random)
        case 1 where !bytes.isEmpty:
            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &random)))
        case 2, 3:
            bytes.insert(contentsOf: Array((Self.tokens.randomElement(using: &random) ?? "").utf8), at: at)
        case 4:
            var lines = Failures.lines(bytes)
            if lines.count > 1 { lines.swapAt(Int.random(in: 0..<lines.count, using: &random), Int.random(in: 0..<lines.count, using: &random)) }
            bytes = lines.flatMap { $0 }
        case 5:
            var lines = Failures.lines(bytes)
            if let line = lines.randomElement(using: &random) { lines.insert(line, at: Int.random(in: 0...lines.count, using: &random)) }
            bytes = lines.flatMap { $0 }
        case 6:
            // Splice: lines of another document.
            let other = Failures.lines(corpus.randomElement(using: &random) ?? [])
            guard !other.isEmpty else { return }
            let start = Int.random(in: 0..<other.count, using: &random)
            let piece = other[start..<min(other.count, start + Int.random(in: 1...12, using: &random))].flatMap { $0 }
            bytes.insert(contentsOf: piece, at: at)
        default:
            bytes.insert(contentsOf: Array(String(repeating: "{{int}}", count: Int.random(in: 1...50, using: &random)).utf8), at: at)
        }
    }
}
