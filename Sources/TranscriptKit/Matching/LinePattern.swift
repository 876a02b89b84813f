import Foundation
import PCRE2

/// One expected line, compiled once before anything runs: `...`, a literal compared as bytes
/// (the fast path that never touches PCRE2), the bytes of an `(esc)` line, or a whole-line PCRE2
/// pattern (from `(re)`, `(glob)`, placeholders or `examples=` tokens).
struct LinePattern: Sendable {
    enum Body: Sendable {
        /// `...`: zero or more lines.
        case ellipsis
        /// Equal bytes.
        case literal([UInt8])
        /// `ws`: equal once every run of spaces and tabs is collapsed to one space.
        case collapsedLiteral([UInt8])
        /// A compiled whole-line pattern.
        case regex(Regex, LineSlots)
        /// A pattern that embeds `{{$VAR}}` values, compiled (and cached) per value at match time.
        case template([TemplatePiece], LineSlots)
    }

    /// The line as written.
    var source: ExpectedLine
    var body: Body
    /// `(no-eol)`: matches only a last line without a final newline.
    var noEOL: Bool
    /// Variables this line captures, in order.
    var captures: [String]
    /// Variables this line reads from earlier lines (`{{$VAR}}`).
    var reads: [String]
    /// Whether the line has `examples=` tokens of identity kinds.
    var bindsExamples: Bool
    /// How many output lines it stands for (`(re*)`, `(equal+)`, ...); one unless written.
    var quantifier = LineQuantifier.one
    /// `(any-eol)`: matches a line with or without its final newline.
    var anyEOL = false

    var isEllipsis: Bool {
        if case .ellipsis = body { return true }
        return false
    }

    /// Whether the actual line is compared by bytes alone.
    var isLiteral: Bool {
        switch body {
        case .literal, .collapsedLiteral: return true
        default: return false
        }
    }
}

/// How many output lines one expected line stands for: exactly one, or as a quantifier written
/// after its annotation (`?` none or one, `*` any number, `+` one or more).
enum LineQuantifier: Sendable {
    case one, optional, any, some
}

/// A piece of a line's pattern: PCRE2 source, or the escaped value of a captured variable.
enum TemplatePiece: Sendable, Hashable {
    case pattern(String)
    case variable(String)
}

/// The named groups of a line pattern that capture variables or example tokens.
struct LineSlots: Sendable {
    struct Capture: Sendable, Hashable {
        var variable: String
        var group: String
    }
    struct Example: Sendable, Hashable {
        var kind: String
        var example: String
        var group: String
    }
    var captures: [Capture] = []
    var examples: [Example] = []
}

/// The outcome of comparing one expected line with one actual line.
enum LineMatch: Sendable {
    case matched(MatchState)
    case mismatch
    /// The pattern matches, but an example value contradicts an earlier binding.
    case conflict(String)
}

extension LinePattern {
    /// Whether the line reads and changes no state: then `matches(_:)` decides alone.
    var isStateless: Bool {
        switch body {
        case .ellipsis, .literal, .collapsedLiteral: return true
        case .regex(_, let slots): return slots.captures.isEmpty && slots.examples.isEmpty
        case .template: return false
        }
    }

    /// For a stateless line: whether it matches `line` (as `match` would, without copying state).
    func matches(_ line: ActualLine) -> Bool {
        guard line.noEOL == noEOL || isEllipsis || anyEOL else { return false }
        switch body {
        case .ellipsis:
            return true
        case .literal(let bytes):
            return sameBytes(line.bytes, bytes)
        case .collapsedLiteral(let bytes):
            return line.bytes.collapsingBlankRuns == bytes
        case .regex(let regex, _):
            if line.bytes.withUnsafeBufferPointer({ regex.matches($0) }) { return true }
            guard let twin = ByteRegexes.shared.twin(of: regex, for: line.bytes) else { return false }
            return line.bytes.withUnsafeBufferPointer { twin.matches($0) }
        case .template:
            return false
        }
    }

    /// Compares `line` under `state`. `permissive` (used only to align a diff) ignores example
    /// bindings and lets an unknown `{{$VAR}}` match anything.
    func match(_ line: ActualLine, state: MatchState, cache: RegexCache, permissive: Bool = false) -> LineMatch {
        guard line.noEOL == noEOL || isEllipsis || anyEOL else { return .mismatch }
        switch body {
        case .ellipsis:
            return .matched(state)
        case .literal(let bytes):
            return sameBytes(line.bytes, bytes) ? .matched(state) : .mismatch
        case .collapsedLiteral(let bytes):
            return line.bytes.collapsingBlankRuns == bytes ? .matched(state) : .mismatch
        case .regex(let regex, let slots):
            return apply(regex, slots, to: line, state: state, permissive: permissive)
        case .template(let pieces, let slots):
            var source = ""
            for piece in pieces {
                switch piece {
                case .pattern(let text):
                    source += text
                case .variable(let name):
                    if let value = state.variables[name] {
                        source += "(?:" + Regex.escape(value) + ")"
                    } else if permissive {
                        source += "(?:.*)"
                    } else {
                        return .conflict("{{$\(name)}} has no value here: the command that captures it did not run or did not match (a skipped block?)")
                    }
                }
            }
            guard let regex = try? cache.regex(source) else { return .mismatch }
            return apply(regex, slots, to: line, state: state, permissive: permissive)
        }
    }

    private func apply(_ regex: Regex, _ slots: LineSlots, to line: ActualLine, state: MatchState, permissive: Bool) -> LineMatch {
        let result = applyOnce(regex, slots, to: line, state: state, permissive: permissive)
        if case .mismatch = result, let twin = ByteRegexes.shared.twin(of: regex, for: line.bytes) {
            return applyOnce(twin, slots, to: line, state: state, permissive: permissive)
        }
        return result
    }

    private func applyOnce(_ regex: Regex, _ slots: LineSlots, to line: ActualLine, state: MatchState, permissive: Bool) -> LineMatch {
        if regex.captureCount == 0 && slots.captures.isEmpty && (slots.examples.isEmpty || permissive) {
            // Nothing to read back: no group ranges to collect. (`matches` keeps room for the
            // whole match only, so it serves patterns without groups.)
            return line.bytes.withUnsafeBufferPointer { regex.matches($0) } ? .matched(state) : .mismatch
        }
        guard let found = line.bytes.withUnsafeBufferPointer({ regex.firstMatch(in: $0) }) else { return .mismatch }
        if slots.captures.isEmpty && (slots.examples.isEmpty || permissive) { return .matched(state) }
        func text(_ group: String) -> String? {
            guard let number = regex.groupNumber(named: group), let range = found[group: number] else { return nil }
            let base = line.bytes.startIndex
            return String(decoding: line.bytes[(base + range.lowerBound)..<(base + range.upperBound)], as: UTF8.self)
        }
        var state = state
        for capture in slots.captures {
            guard let value = text(capture.group) else { continue }
            state.variables[capture.variable] = value
            state.captured.append(capture.variable)
        }
        if !permissive {
            for example in slots.examples {
                guard let actual = text(example.group) else { continue }
                if let conflict = state.examples.bind(kind: example.kind, example: example.example, actual: actual, line: source.line) {
                    return .conflict(conflict)
                }
            }
        }
        return .matched(state)
    }
}

/// Byte-mode twins of line patterns, for actual lines that are not valid UTF-8 (FORMAT.md's
/// `(esc)` exists for them). In UTF mode PCRE2 matches no character at an invalid byte, so
/// `{{any}}`, a glob's `*` or `?` and `.` could never cover one; compiled without UTF, the same
/// pattern sees each byte as a character. Used only when the UTF pattern failed on such a line.
final class ByteRegexes: @unchecked Sendable {
    static let shared = ByteRegexes()
    private let lock = NSLock()
    private var compiled: [String: Regex?] = [:]

    /// The byte-mode twin of `utf` when `bytes` is not valid UTF-8 and the twin compiles.
    func twin(of utf: Regex, for bytes: ArraySlice<UInt8>) -> Regex? {
        guard utf.options.contains(.utf), String(validating: bytes, as: UTF8.self) == nil else { return nil }
        let key = "\(utf.options.rawValue):" + utf.pattern
        lock.lock()
        defer { lock.unlock() }
        if let known = compiled[key] { return known }
        let twin = try? Regex(utf.pattern, options: utf.options.subtracting(.utf), jit: false)
        if compiled.count > 1000 { compiled.removeAll() }
        compiled[key] = twin
        return twin
    }
}
