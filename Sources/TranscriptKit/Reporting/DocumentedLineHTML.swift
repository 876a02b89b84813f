/// A documented line in HTML as the page's reader understands it: each placeholder as a chip
/// naming what it stands for (`‹regex›`, `‹$VAR›`, `‹short-id›`) with its pattern in the chip's
/// title, `...` as an ellipsis chip, and an annotation (`(re)`, `(no-eol)`) as a tag. Every
/// piece of text is escaped.
struct DocumentedLineHTML {
    /// The named patterns of the line's file, for the chips' titles.
    let library: PatternLibrary?
    /// Whether placeholders mean anything in the line's block (not in a cram file's lines).
    let readsPlaceholders: Bool

    /// Annotations the transcript's own lines may end with, and what each says in a tag's title.
    static let annotations: [(suffix: String, title: String)] = [
        (" (re)", "the line is a regular expression (PCRE2)"), (" (glob)", "* and ? match any text, any character"),
        (" (esc)", "written with \\t, \\r, \\xHH escapes"), (" (equal)", "compared as written"),
    ]
    static let noEOL = (suffix: " (no-eol)", title: "the output does not end with a newline")

    /// The line's HTML.
    func html(_ text: String) -> String {
        guard readsPlaceholders else { return xml(text) }
        if text.trimmingTrailingBlanks == "..." { return chip("…", title: "any number of lines", kind: "ellipsis") }
        var body = text, tags: [String] = []
        var noEOL = false, annotated = false
        func strip(_ tag: (suffix: String, title: String)) {
            body.removeLast(tag.suffix.count)
            tags.insert(chip(String(tag.suffix.dropFirst()), title: tag.title, kind: "tag"), at: 0)
        }
        // As the line compiler reads them: one `(no-eol)`, one other annotation, nothing before `(equal)`.
        while true {
            if !noEOL, body.hasSuffix(Self.noEOL.suffix) {
                noEOL = true
                strip(Self.noEOL)
            } else if !annotated, let tag = Self.annotations.first(where: { body.hasSuffix($0.suffix) }) {
                annotated = true
                strip(tag)
                if tag.suffix == " (equal)" { break }
            } else {
                break
            }
        }
        return (annotated ? xml(body) : placeholders(body)) + tags.map { " " + $0 }.joined()
    }

    /// The literal line's pieces: text escaped, placeholders as chips; the text as written when
    /// its placeholders cannot be read.
    private func placeholders(_ text: String) -> String {
        guard let pieces = PlaceholderScanner.pieces(of: text) else { return xml(text) }
        return pieces.map { piece in
            switch piece {
            case .literal(let literal, _): return xml(literal)
            case .placeholder(let source, _, let kind): return chip(for: kind, source: source)
            }
        }.joined()
    }

    private func chip(for kind: PlaceholderScanner.Kind, source: String, captured: String? = nil) -> String {
        let capture = captured.map { " → $\($0)" } ?? ""
        switch kind {
        case .named(let name, _):
            let regex = library?.pattern(named: name)?.regex
            return chip("‹\(name)\(capture)›", title: regex.map { "\(name): \($0)" } ?? source, kind: "named")
        case .inline(let regex, _):
            return chip("‹regex\(capture)›", title: regex, kind: "regex")
        case .capture(let variable, _, let pattern):
            return chip(for: pattern, source: source, captured: variable)
        case .reference(let variable, _):
            return chip("‹$\(variable)›", title: "the text captured as $\(variable)", kind: "variable")
        }
    }

    private func chip(_ label: String, title: String, kind: String) -> String {
        "<span class=\"ph \(kind)\" title=\"\(xml(title))\">\(xml(label))</span>"
    }
}
