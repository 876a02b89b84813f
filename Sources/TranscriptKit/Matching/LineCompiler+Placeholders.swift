import PCRE2

/// Placeholders in a literal line: split out, looked up and checked.
extension LineCompiler {
    /// Splits a literal line into text and placeholders, each with its character offset.
    mutating func parsePlaceholders(_ text: String, line: ExpectedLine) -> [(Int, Segment)]? {
        let scan = PlaceholderScanner.scan(text)
        var segments: [(Int, Segment)] = []
        segments.reserveCapacity(scan.pieces.count)
        // In order, so that the first mistake on the line is the one reported.
        for piece in scan.pieces {
            switch piece {
            case .literal(let literal, let offset):
                segments.append((offset, .text(literal)))
            case .placeholder(_, let offset, let kind):
                guard let segment = meaning(of: kind, line: line) else { return nil }
                // A reference's column is its name's `$`, as before.
                if case .reference(_, let variableOffset) = kind {
                    segments.append((variableOffset - 1, segment))
                } else {
                    segments.append((offset, segment))
                }
            }
        }
        if let failure = scan.failure {
            fail(line, failure.offset, failure.message, help: failure.help)
            return nil
        }
        return segments
    }

    /// What a placeholder matches: its name looked up, its pattern checked.
    private mutating func meaning(of kind: PlaceholderScanner.Kind, line: ExpectedLine) -> Segment? {
        switch kind {
        case .named(let name, let nameOffset):
            return lookUp(name, line: line, offset: nameOffset).map { .named($0) }
        case .inline(let regex, let regexOffset):
            return validateInline(regex, line: line, offset: regexOffset) ? .inline(regex) : nil
        case .capture(let variable, _, let pattern):
            return meaning(of: pattern, line: line).map { .capture(variable: variable, $0) }
        case .reference(let variable, _):
            return .reference(variable: variable)
        }
    }

    private mutating func lookUp(_ name: String, line: ExpectedLine, offset: Int) -> NamedPattern? {
        if let named = library.pattern(named: name) { return named }
        let close = closestNames(to: name, among: library.names)
        fail(line, offset, "unknown pattern '\(name)'",
             help: close.isEmpty ? "named patterns are " + library.names.joined(separator: ", ") + "; write \\{{ for a literal {{"
                                 : "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?")
        return nil
    }

    private mutating func validateInline(_ regex: String, line: ExpectedLine, offset: Int) -> Bool {
        do {
            _ = try Regex(regex, options: .utf, jit: false)
            return true
        } catch {
            fail(line, offset + error.characterOffset, "pattern does not compile: \(error.message)", help: "fix the PCRE2 pattern, or write \\{{ for a literal {{", notes: ["pattern: \(regex)"])
            return false
        }
    }
}
