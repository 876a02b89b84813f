/// CommonMark's seven HTML block start conditions and the end conditions of the first five.
extension LineCursor {
    /// The kind (1–7) of the HTML block starting at `nextNonspace`, if one does.
    /// Kind 7 (any other complete tag alone on its line) may not interrupt a paragraph.
    func htmlBlockStart(mayInterruptParagraph: Bool) -> Int? {
        guard !indented, nonspaceByte == MarkdownByte.lessThan else { return nil }
        let start = nextNonspace
        for name in Self.rawTextTags where hasPrefixIgnoringCase("<" + name, at: start) {
            let after = start + 1 + name.utf8.count
            if let byte = byte(at: after), !MarkdownByte.isWhitespace(byte), byte != MarkdownByte.greaterThan { continue }
            return 1
        }
        if hasPrefix("<!--", at: start) { return 2 }
        if hasPrefix("<?", at: start) { return 3 }
        if hasPrefix("<!", at: start), let letter = byte(at: start + 2), MarkdownByte.isLetter(letter) { return 4 }
        if hasPrefix("<![CDATA[", at: start) { return 5 }
        if let end = blockTagEnd(at: start) {
            let next = byte(at: end)
            if next == nil || next.map(MarkdownByte.isWhitespace) == true || next == MarkdownByte.greaterThan
                || (next == UInt8(ascii: "/") && byte(at: end + 1) == MarkdownByte.greaterThan) {
                return 6
            }
        }
        if mayInterruptParagraph, let end = completeTagEnd(at: start), isWhitespace(from: end) { return 7 }
        return nil
    }

    /// Whether bytes `start...` hold the end of an HTML block of `kind` (1–5); kinds 6 and 7
    /// end at a blank line instead.
    func endsHTMLBlock(kind: Int, from start: Int) -> Bool {
        switch kind {
        case 1: return Self.rawTextTags.contains { containsIgnoringCase("</" + $0 + ">", from: start) }
        case 2: return contains("-->", from: start)
        case 3: return contains("?>", from: start)
        case 4: return contains(">", from: start)
        case 5: return contains("]]>", from: start)
        default: return false
        }
    }

    static let rawTextTags = ["script", "pre", "style", "textarea"]

    static let blockTags: Set<String> = [
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
        "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr",
        "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol",
        "optgroup", "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "title", "tr", "track", "ul",
    ]

    /// After `<` or `</` and one of the block tag names at `start`, the index past the name.
    private func blockTagEnd(at start: Int) -> Int? {
        var index = start + 1
        if byte(at: index) == UInt8(ascii: "/") { index += 1 }
        let nameStart = index
        while let byte = byte(at: index), MarkdownByte.isLetter(byte) || MarkdownByte.isDigit(byte) { index += 1 }
        guard index > nameStart else { return nil }
        let name = String(decoding: bytes[nameStart..<index].map(MarkdownByte.lowercased), as: UTF8.self)
        return Self.blockTags.contains(name) ? index : nil
    }

    /// The index past a complete open tag (`<name attr="v" ...>`, `/>`) or closing tag (`</name >`)
    /// at `start`, if one is there. (The spec's prose leaves out `pre`, `script`, `style` and
    /// `textarea`, but its reference implementations, cmark and commonmark.js, take a lone
    /// `</pre>` as kind 7, and so do renderers built on them; an open tag of those is kind 1 anyway.)
    private func completeTagEnd(at start: Int) -> Int? {
        var index = start + 1
        let closing = byte(at: index) == UInt8(ascii: "/")
        if closing { index += 1 }
        guard let first = byte(at: index), MarkdownByte.isLetter(first) else { return nil }
        while let byte = byte(at: index), MarkdownByte.isLetter(byte) || MarkdownByte.isDigit(byte) || byte == UInt8(ascii: "-") {
            index += 1
        }
        if closing {
            index = skipWhitespace(from: index)
            return byte(at: index) == MarkdownByte.greaterThan ? index + 1 : nil
        }
        while true {
            let afterSpace = skipWhitespace(from: index)
            if byte(at: afterSpace) == MarkdownByte.greaterThan { return afterSpace + 1 }
            if byte(at: afterSpace) == UInt8(ascii: "/") {
                return byte(at: afterSpace + 1) == MarkdownByte.greaterThan ? afterSpace + 2 : nil
            }
            // An attribute needs white space before it.
            guard afterSpace > index, let attributeEnd = attributeEnd(at: afterSpace) else { return nil }
            index = attributeEnd
        }
    }

    /// The index past an attribute (`name`, `name=value`, `name='v'`, `name="v"`) at `start`.
    private func attributeEnd(at start: Int) -> Int? {
        guard let first = byte(at: start),
              MarkdownByte.isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") else { return nil }
        var index = start + 1
        while let byte = byte(at: index), MarkdownByte.isLetter(byte) || MarkdownByte.isDigit(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-") {
            index += 1
        }
        let beforeValue = skipWhitespace(from: index)
        guard byte(at: beforeValue) == UInt8(ascii: "=") else { return index }
        let valueStart = skipWhitespace(from: beforeValue + 1)
        guard let quote = byte(at: valueStart) else { return nil }
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            var end = valueStart + 1
            while let byte = byte(at: end), byte != quote { end += 1 }
            return end < bytes.count ? end + 1 : nil
        }
        var end = valueStart
        while let byte = byte(at: end), byte > 0x20, !"\"'=<>`".utf8.contains(byte) { end += 1 }
        return end > valueStart ? end : nil
    }

    private func skipWhitespace(from start: Int) -> Int {
        var index = start
        while let byte = byte(at: index), MarkdownByte.isWhitespace(byte) { index += 1 }
        return index
    }

    private func isWhitespace(from start: Int) -> Bool { skipWhitespace(from: start) == bytes.count }
}
