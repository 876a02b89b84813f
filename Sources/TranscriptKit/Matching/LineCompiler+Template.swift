import PCRE2

/// A literal line with placeholders, assembled piece by piece into one pattern (or a template
/// whose variables are filled in when the line is matched).
extension LineCompiler {
    /// The pattern of a line as it is assembled: its pieces, the groups its captures and example
    /// bindings use, the variables it reads, and the examples it teaches the vocabulary.
    struct TemplateBuilder {
        var pieces: [TemplatePiece] = []
        var slots = LineSlots()
        var reads: [String] = []
        var captures: [String] = []
        var groups = 0
        var capturedInLine: [String: String] = [:]
        var hasPattern = false
        var binds = false
        var learned: [(kind: String, example: [UInt8])] = []
        /// How many capture groups the pattern pieces hold so far (kept as they are added, so
        /// that numbering a regex does not rescan the line: a line's compilation stays linear).
        private(set) var captureGroups = 0

        /// The name of a new capture group.
        mutating func newGroup() -> String {
            groups += 1
            return "__t\(groups)"
        }

        /// Adds PCRE2 source, joined to the pattern piece before it.
        /// Every source added is a whole unit (balanced groups, `\Q` ended), so its groups count alone.
        mutating func append(_ source: String) {
            if source.utf8.contains(UInt8(ascii: "(")) { captureGroups += RegexGroups.captureCount(source) }
            if case .pattern(var previous)? = pieces.last {
                // Taken out first, so that the text is extended in place rather than copied.
                pieces.removeLast()
                previous += source
                pieces.append(.pattern(previous))
            } else {
                pieces.append(.pattern(source))
            }
        }

        /// `regex` with its group numbers raised past the groups before it in the line's pattern
        /// (and `opening` more that open just before it), so that `\1` still means its own group.
        func ownNumbers(_ regex: String, opening: Int) -> String {
            guard regex.utf8.contains(UInt8(ascii: "\\")) || regex.contains("(?") else { return regex }
            return RegexGroups.shiftingReferences(regex, by: captureGroups + opening)
        }

        /// The whole pattern, when the line reads no variable.
        var source: String {
            pieces.reduce(into: "") { text, piece in
                if case .pattern(let part) = piece { text += part }
            }
        }

        /// The pattern with every variable empty, to check that it compiles.
        var probe: String {
            pieces.reduce(into: "") { text, piece in
                switch piece {
                case .pattern(let part): text += part
                case .variable: text += "(?:)"
                }
            }
        }
    }

    /// Adds literal text, with the example tokens in it (`examples=`, and values bound earlier)
    /// matched by their kind's pattern; identity kinds capture what they match to bind it.
    func appendLiteral(_ literal: String, to template: inout TemplateBuilder) {
        if scanner == nil && vocabulary.isEmpty {
            template.append(escapeLiteral(literal))
            return
        }
        let bytes = Array(literal.utf8)
        var tokens = (scanner?.tokens(in: bytes) ?? []).map { (range: $0.range, pattern: $0.pattern) }
        for known in vocabulary.tokens(in: bytes, avoiding: tokens.map(\.range)) {
            guard let named = library.pattern(named: known.kind) else { continue }
            tokens.append((known.range, named))
        }
        tokens.sort { $0.range.lowerBound < $1.range.lowerBound }
        var position = 0
        for token in tokens {
            template.append(escapeLiteral(String(decoding: bytes[position..<token.range.lowerBound], as: UTF8.self)))
            let regex = "(?:" + token.pattern.regex + ")"
            if ExampleBindings.checkedKinds.contains(token.pattern.name) {
                let group = template.newGroup()
                let example = Array(bytes[token.range])
                template.slots.examples.append(.init(kind: token.pattern.name, example: String(decoding: example, as: UTF8.self), group: group))
                if ExampleBindings.identityKinds.contains(token.pattern.name) { template.learned.append((token.pattern.name, example)) }
                template.append("(?<\(group)>\(regex))")
                template.binds = true
            } else {
                template.append(regex)
            }
            template.hasPattern = true
            position = token.range.upperBound
        }
        template.append(escapeLiteral(String(decoding: bytes[position...], as: UTF8.self)))
    }

    /// Adds one segment of the line; false when it has an error (recorded in `diagnostics`).
    mutating func append(_ segment: Segment, at offset: Int, to template: inout TemplateBuilder, line: ExpectedLine) -> Bool {
        switch segment {
        case .text(let literal):
            appendLiteral(literal, to: &template)
        case .named(let named):
            template.append("(?:" + named.regex + ")")
            template.hasPattern = true
        case .inline(let regex):
            template.append("(?:" + template.ownNumbers(regex, opening: 0) + "\\E)")
            template.hasPattern = true
        case .capture(let variable, let inner):
            let group = template.newGroup()
            var innerSource = ""
            if case .named(let named) = inner { innerSource = named.regex }
            // `\E` ends a `\Q` the pattern left open (PCRE2 ignores it otherwise), so that
            // the placeholder's text stays its own pattern.
            if case .inline(let regex) = inner { innerSource = template.ownNumbers(regex, opening: 1) + "\\E" }
            template.append("(?<\(group)>(?:" + innerSource + "))")
            template.slots.captures.append(.init(variable: variable, group: group))
            template.captures.append(variable)
            template.capturedInLine[variable] = group
            template.hasPattern = true
        case .reference(let variable):
            template.hasPattern = true
            return appendReference(variable, at: offset, to: &template, line: line)
        }
        return true
    }

    /// Adds `{{$NAME}}`: a back reference within the line, else a variable read when matching.
    mutating func appendReference(_ variable: String, at offset: Int, to template: inout TemplateBuilder, line: ExpectedLine) -> Bool {
        if unordered, capturedInCommand.contains(variable) || capturedEarlierInBlock.contains(variable)
            || template.capturedInLine[variable] != nil {
            fail(line, offset, "{{$\(variable)}} names a variable captured in the same unordered block",
                 help: "an unordered block may use only variables captured before it")
            return false
        }
        if let group = template.capturedInLine[variable] {
            template.append("(?:\\k<\(group)>)")
        } else if known.contains(variable) || capturedInCommand.contains(variable) {
            template.pieces.append(.variable(variable))
            template.reads.append(variable)
        } else {
            fail(line, offset, "variable \(variable) is not captured before this line",
                 help: "capture it earlier in the file with {{\(variable)=PATTERN}}")
            return false
        }
        return true
    }

    /// The line's pattern from its assembled template: plain bytes when no placeholder matched
    /// anything, else a compiled regex, or a template when it reads variables.
    mutating func pattern(of template: TemplateBuilder, segments: [(Int, Segment)], line: ExpectedLine, noEOL: Bool) -> LinePattern? {
        if !template.hasPattern {
            let literal = segments.reduce(into: "") { text, item in
                if case .text(let part) = item.1 { text += part }
            }
            let bytes = Array(literal.utf8)
            return LinePattern(source: line, body: ws ? .collapsedLiteral(bytes.collapsingBlankRuns) : .literal(bytes),
                               noEOL: noEOL, captures: [], reads: [], bindsExamples: false)
        }
        let body: LinePattern.Body
        if template.reads.isEmpty {
            let source = template.source
            do {
                body = .regex(try cachedRegex(source), template.slots)
            } catch {
                fail(line, 0, "the line's pattern does not compile: \(error.message)", notes: ["pattern: \(shortened(source))"])
                return nil
            }
        } else {
            // Check now, with every value empty, that the pattern compiles.
            let probe = template.probe
            do {
                _ = try Regex(probe, options: .wholeLine, jit: false)
            } catch {
                fail(line, 0, "the line's pattern does not compile: \(error.message)", notes: ["pattern: \(shortened(probe))"])
                return nil
            }
            body = .template(template.pieces, template.slots)
        }
        return LinePattern(source: line, body: body, noEOL: noEOL, captures: template.captures, reads: template.reads,
                           bindsExamples: template.binds)
    }
}

/// A line's whole pattern as a message shows it: at most 400 characters, and how many more.
func shortened(_ pattern: String, limit: Int = 400) -> String {
    let count = pattern.count
    guard count > limit else { return pattern }
    return String(pattern.prefix(limit)) + "… (\(count - limit) more characters)"
}
