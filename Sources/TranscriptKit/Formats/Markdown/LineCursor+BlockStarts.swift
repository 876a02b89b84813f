/// Recognisers for CommonMark's block starts, each looking at the line from `nextNonspace`
/// (after `findNextNonspace()`), following the spec's rules and the reference parser's order.
extension LineCursor {
    /// An opening code fence: its character, its length and its info string (trimmed).
    struct FenceOpening {
        var character: UInt8
        var length: Int
        var info: String
    }

    /// The opening fence starting at `nextNonspace`, if there is one. A backtick fence's info
    /// string may not contain a backtick.
    func fenceOpening() -> FenceOpening? {
        guard !indented, let first = nonspaceByte, first == MarkdownByte.backtick || first == MarkdownByte.tilde else {
            return nil
        }
        var end = nextNonspace
        while end < bytes.count, bytes[end] == first { end += 1 }
        let length = end - nextNonspace
        guard length >= 3 else { return nil }
        if first == MarkdownByte.backtick, bytes[end...].contains(MarkdownByte.backtick) { return nil }
        return FenceOpening(character: first, length: length, info: text(end, bytes.count).trimmingWhitespace)
    }

    /// Whether the line from `nextNonspace` closes a fence of `character` and at least `length`:
    /// up to 3 columns of indentation, the fence, then nothing but spaces and tabs.
    func closesFence(character: UInt8, length: Int) -> Bool {
        guard indent <= 3 else { return false }
        var end = nextNonspace
        while end < bytes.count, bytes[end] == character { end += 1 }
        return end - nextNonspace >= length && isBlank(from: end)
    }

    /// The text of an ATX heading starting at `nextNonspace` (closing `#`s removed), if there is one.
    func atxHeading() -> String? {
        guard !indented else { return nil }
        var end = nextNonspace
        while end < bytes.count, bytes[end] == MarkdownByte.hash { end += 1 }
        let level = end - nextNonspace
        guard level >= 1, level <= 6, end == bytes.count || MarkdownByte.isSpaceOrTab(bytes[end]) else { return nil }
        var start = end
        var stop = bytes.count
        while stop > start, MarkdownByte.isSpaceOrTab(bytes[stop - 1]) { stop -= 1 }
        // A closing sequence of `#`s counts only when white space precedes it (or it is all there is).
        var hashes = stop
        while hashes > start, bytes[hashes - 1] == MarkdownByte.hash { hashes -= 1 }
        if hashes < stop, hashes == start || MarkdownByte.isSpaceOrTab(bytes[hashes - 1]) { stop = hashes }
        while start < stop, MarkdownByte.isSpaceOrTab(bytes[start]) { start += 1 }
        while stop > start, MarkdownByte.isSpaceOrTab(bytes[stop - 1]) { stop -= 1 }
        return text(start, stop)
    }

    /// Whether the line is a setext heading underline (`===` or `---`, trailing white space allowed).
    func isSetextUnderline() -> Bool {
        guard !indented, let first = nonspaceByte, first == UInt8(ascii: "=") || first == UInt8(ascii: "-") else {
            return false
        }
        var end = nextNonspace
        while end < bytes.count, bytes[end] == first { end += 1 }
        return isBlank(from: end)
    }

    /// Whether the line is a thematic break: three or more `*`, `-` or `_`, spaces and tabs between.
    func isThematicBreak() -> Bool {
        guard !indented, let first = nonspaceByte,
              first == UInt8(ascii: "*") || first == UInt8(ascii: "-") || first == UInt8(ascii: "_") else {
            return false
        }
        var count = 0
        for byte in bytes[nextNonspace...] {
            if byte == first {
                count += 1
            } else if !MarkdownByte.isSpaceOrTab(byte) {
                return false
            }
        }
        return count >= 3
    }

    /// Consumes a list item's marker and the spaces after it if the line starts one, returning the
    /// item's content indentation (marker indentation + marker width + spaces, by CommonMark's
    /// rules: 1–4 spaces, or 1 when 5 or more follow or the item starts blank).
    /// `interruptsParagraph`: a paragraph is open in the same container, so only an item with
    /// content, and for ordered lists only one numbered 1, may start.
    mutating func consumeListMarker(interruptsParagraph: Bool) -> Int? {
        guard !indented, let first = nonspaceByte else { return nil }
        var markerEnd = nextNonspace
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "*") {
            markerEnd += 1
        } else if MarkdownByte.isDigit(first) {
            var value = 0
            while markerEnd < bytes.count, MarkdownByte.isDigit(bytes[markerEnd]), markerEnd - nextNonspace < 9 {
                value = value * 10 + Int(bytes[markerEnd] - UInt8(ascii: "0"))
                markerEnd += 1
            }
            guard let delimiter = byte(at: markerEnd), delimiter == UInt8(ascii: ".") || delimiter == UInt8(ascii: ")") else {
                return nil
            }
            if interruptsParagraph, value != 1 { return nil }
            markerEnd += 1
        } else {
            return nil
        }
        if let after = byte(at: markerEnd), !MarkdownByte.isSpaceOrTab(after) { return nil }
        if interruptsParagraph, isBlank(from: markerEnd) { return nil }

        let markerIndent = indent
        let markerWidth = markerEnd - nextNonspace
        advanceToNextNonspace()
        advance(markerWidth, columns: true)
        let spacesStart = self
        repeat {
            advance(1, columns: true)
        } while column - spacesStart.column < 5 && currentByte.map(MarkdownByte.isSpaceOrTab) == true
        let blankItem = currentByte == nil
        let spaces = column - spacesStart.column
        if spaces >= 5 || spaces < 1 || blankItem {
            self = spacesStart
            if let next = currentByte, MarkdownByte.isSpaceOrTab(next) { advance(1, columns: true) }
            return markerIndent + markerWidth + 1
        }
        return markerIndent + markerWidth + spaces
    }
}
