import PCRE2

/// One expectation of a scrut block: the text, its kind (`(equal)`/`(eq)`, `(no-eol)`,
/// `(escaped)`/`(esc)`, `(glob)`/`(gl)`, `(regex)`/`(re)`, or two of them such as
/// `(escaped) (glob)`) and its quantifier (`?`, `*`, `+`, alone as `(?)` or after the kind).
struct ScrutLinePattern: Sendable {
    let source: ExpectedLine
    var quantifier = LineQuantifier.one
    /// The bytes an equal, no-eol or escaped line must be.
    private var bytes: [UInt8] = []
    /// A glob's or regex's whole-line pattern; such a line may lack its newline.
    private var pattern: Regex?
    /// `(no-eol)`: the line must lack its newline.
    private var noEOL = false
    /// `(escaped)`: the line may have its newline or lack it.
    private var anyEOL = false

    private static let kinds: [String: String] = [
        "equal": "equal", "eq": "equal", "no-eol": "no-eol", "escaped": "escaped", "esc": "escaped",
        "glob": "glob", "gl": "glob", "regex": "regex", "re": "regex", "": "equal",
    ]

    /// An expectation's parts: the text before its annotations, its kinds (by their long
    /// names) and its quantifier.
    struct Parts {
        var text: Substring
        var kinds: Set<String> = []
        var quantifier = LineQuantifier.one
    }

    /// Reads the annotation at the end of `text` as scrut does: the last one decides, and what
    /// stands before it is text, with two exceptions: `(escaped)` (or `(esc)`) right before a glob
    /// decodes the glob, and `(no-eol)` right before `(escaped)` is dropped (an escaped line is
    /// compared without its newline anyway). So `x (escaped) (equal)` is the text `x (escaped)`.
    static func parts(of text: String) -> Parts {
        guard let last = annotation(endingAt: Substring(text)) else { return Parts(text: Substring(text)) }
        var parts = Parts(text: last.text, kinds: [last.kind], quantifier: last.quantifier)
        if last.kind == "glob", let inner = escapedSuffixes.first(where: { last.text.hasSuffix($0) }) {
            parts.text = last.text.dropLast(inner.count)
            parts.kinds.insert("escaped")
        }
        if last.kind == "escaped", last.text.hasSuffix(" (no-eol)") { parts.text = last.text.dropLast(" (no-eol)".count) }
        return parts
    }

    /// How scrut writes `(escaped)` before a glob (its parentheses may be escaped).
    private static let escapedSuffixes = [" (escaped)", " \\(escaped\\)", " (esc)", " \\(esc\\)"]

    /// The annotation that ends `text`: a blank, then `(KIND)`, `(KINDq)` or `(q)`, with KIND
    /// one of scrut's kinds (by its long name) and q a quantifier; nil when there is none.
    static func annotation(endingAt text: Substring) -> (text: Substring, kind: String, quantifier: LineQuantifier)? {
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "("), open > text.startIndex else { return nil }
        let blank = text.index(before: open)
        guard text[blank] == " " || text[blank] == "\t" else { return nil }
        var word = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var quantifier = LineQuantifier.one
        switch word.last {
        case "?": quantifier = .optional
        case "*": quantifier = .any
        case "+": quantifier = .some
        default: break
        }
        if quantifier != .one { word = word.dropLast() }
        guard let kind = kinds[String(word)], !word.isEmpty || quantifier != .one else { return nil }
        return (text[..<blank], kind, quantifier)
    }

    /// The bytes an `(escaped)` text stands for: Python's escapes and `\e`, the escape
    /// character; an error at `line` when an escape is bad.
    static func decodeEscaped(_ text: Substring, line: ExpectedLine, file: String) throws(Diagnostic) -> [UInt8] {
        guard let decoded = CramDisplay.decode(Self.escapeCharacterSpelled(Array(text.utf8))[...]) else {
            throw Diagnostic(file: file, line: line.line, column: line.column, message: "an (escaped) line with a bad escape",
                             help: "escapes are \\t, \\r, \\n, \\\\, \\xHH and octal \\NNN")
        }
        return decoded
    }

    /// Compiles `line`; a pattern that does not compile is an error.
    init(_ line: ExpectedLine, file: String, cache: RegexCache) throws(Diagnostic) {
        source = line
        let parts = Self.parts(of: line.text)
        let kinds = parts.kinds
        quantifier = parts.quantifier
        var body = Array(parts.text.utf8)
        if kinds.contains("escaped") { body = try Self.decodeEscaped(parts.text, line: line, file: file) }
        noEOL = kinds.contains("no-eol")
        anyEOL = kinds.contains("escaped")
        let source: String?
        var options = Regex.Options.wholeLine
        if kinds.contains("regex") {
            // scrut writes `^` and `$` around the pattern and searches: `a|b` is `^a` or `b$`.
            source = "^" + String(decoding: body, as: UTF8.self) + "$"
            options = [.utf]
        } else if kinds.contains("glob") {
            source = CramLinePattern.globSource(body)
        } else {
            source = nil
        }
        if let source {
            do {
                pattern = try cache.regex(source, options: options)
            } catch {
                throw Diagnostic(file: file, line: line.line, column: line.column + error.characterOffset,
                                 message: "pattern does not compile: \(error.message)", help: "fix the pattern")
            }
        }
        bytes = body
    }

    /// `bytes` with each `\e` (not `\\e`) written `\x1b`, for Python's escapes to read.
    static func escapeCharacterSpelled(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                out += bytes[index + 1] == UInt8(ascii: "e") ? Array("\\x1b".utf8) : [bytes[index], bytes[index + 1]]
                index += 2
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    /// Whether the output line `bytes` (without its newline; `noEOL` when it had none) matches.
    func matches(_ line: ArraySlice<UInt8>, noEOL lineNoEOL: Bool) -> Bool {
        if let pattern {
            return line.withUnsafeBufferPointer { pattern.matches($0) }
                || (ByteRegexes.shared.twin(of: pattern, for: line).map { twin in line.withUnsafeBufferPointer { twin.matches($0) } } ?? false)
        }
        return (anyEOL || lineNoEOL == noEOL) && line.elementsEqual(bytes)
    }
}
