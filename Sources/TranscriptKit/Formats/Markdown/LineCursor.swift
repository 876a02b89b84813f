/// A position in one source line, measured both in bytes and in CommonMark's virtual columns
/// (tab stops of 4), as the block parser consumes container markers and indentation.
///
/// A tab can be consumed partly (a list item's content may begin in the middle of one); the
/// cursor then stays on the tab and remembers the columns already taken, as CommonMark does.
struct LineCursor {
    /// The line's UTF-8 bytes, without its ending.
    let bytes: [UInt8]
    /// The byte index of the next unconsumed byte (the tab itself while one is partly consumed).
    private(set) var offset = 0
    /// The virtual column reached (0-based).
    private(set) var column = 0
    /// Whether the tab at `offset` has been consumed in part.
    private(set) var partiallyConsumedTab = false

    /// Set by `findNextNonspace()`: the byte index of the first byte after spaces and tabs.
    private(set) var nextNonspace = 0
    /// Set by `findNextNonspace()`: the virtual column of `nextNonspace`.
    private(set) var nextNonspaceColumn = 0
    /// Set by `findNextNonspace()`: columns of spaces and tabs before `nextNonspace`.
    private(set) var indent = 0
    /// Set by `findNextNonspace()`: whether nothing but spaces and tabs remains.
    private(set) var blank = false

    init(_ text: String) {
        bytes = Array(text.utf8)
        findNextNonspace()
    }

    /// Steps over a UTF-8 byte order mark at the start of the line (the file's first line), which
    /// CommonMark ignores; it stays in the consumed prefix, so the line can be written back as it was.
    mutating func skipByteOrderMark() {
        guard offset == 0, hasPrefix("\u{FEFF}", at: 0) else { return }
        offset = 3
        findNextNonspace()
    }

    /// Whether the remaining indentation makes an indented code block (4 columns or more).
    var indented: Bool { indent >= 4 }

    /// The byte at `nextNonspace`, or nil at the end of the line.
    var nonspaceByte: UInt8? { nextNonspace < bytes.count ? bytes[nextNonspace] : nil }

    /// The byte at `offset`, or nil at the end of the line.
    var currentByte: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    /// The byte at `index`, or nil past the end.
    func byte(at index: Int) -> UInt8? { index >= 0 && index < bytes.count ? bytes[index] : nil }

    /// Measures the spaces and tabs from the current position.
    mutating func findNextNonspace() {
        var index = offset
        var columns = column
        while index < bytes.count {
            let byte = bytes[index]
            if byte == MarkdownByte.space {
                index += 1
                columns += 1
            } else if byte == MarkdownByte.tab {
                index += 1
                columns += 4 - columns % 4
            } else {
                break
            }
        }
        blank = index == bytes.count
        nextNonspace = index
        nextNonspaceColumn = columns
        indent = columns - column
    }

    /// Moves to `nextNonspace`.
    mutating func advanceToNextNonspace() {
        offset = nextNonspace
        column = nextNonspaceColumn
        partiallyConsumedTab = false
    }

    /// Consumes `count` bytes (`columns == false`) or `count` virtual columns (`columns == true`,
    /// which may stop inside a tab).
    mutating func advance(_ count: Int, columns: Bool) {
        var count = count
        while count > 0, offset < bytes.count {
            if bytes[offset] == MarkdownByte.tab {
                let toTabStop = 4 - column % 4
                if columns {
                    partiallyConsumedTab = toTabStop > count
                    let step = min(count, toTabStop)
                    column += step
                    offset += partiallyConsumedTab ? 0 : 1
                    count -= step
                } else {
                    partiallyConsumedTab = false
                    column += toTabStop
                    offset += 1
                    count -= 1
                }
            } else {
                partiallyConsumedTab = false
                offset += 1
                column += 1
                count -= 1
            }
        }
    }

    /// Consumes up to `columns` columns of spaces and tabs, as a fence's content lines lose
    /// the opening fence's indentation.
    mutating func skipIndentation(upTo columns: Int) {
        var remaining = columns
        while remaining > 0, let byte = currentByte, byte == MarkdownByte.space || byte == MarkdownByte.tab {
            advance(1, columns: true)
            remaining -= 1
        }
    }

    /// The consumed text exactly as written, and the rest of the line as CommonMark sees it
    /// (the unconsumed columns of a partly consumed tab become spaces).
    func split() -> (prefix: String, content: String) {
        if partiallyConsumedTab {
            let spaces = String(repeating: " ", count: 4 - column % 4)
            return (text(0, offset + 1), spaces + text(offset + 1, bytes.count))
        }
        return (text(0, offset), text(offset, bytes.count))
    }

    /// The 1-based character column of byte `index` (bytes before it may be multi-byte characters).
    func characterColumn(ofByte index: Int) -> Int {
        text(0, index).count + 1
    }

    /// The text from `nextNonspace` to the end of the line.
    var nonspaceText: String { text(nextNonspace, bytes.count) }

    /// The text of bytes `start..<end`.
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[min(start, bytes.count)..<min(end, bytes.count)], as: UTF8.self)
    }

    /// Whether the bytes from `index` start with `literal` (ASCII, compared exactly).
    func hasPrefix(_ literal: StaticString, at index: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for position in 0..<count where bytes[index + position] != buffer[position] {
                return false
            }
            return true
        }
    }

    /// Whether the bytes from `index` start with `literal`, ignoring ASCII case.
    func hasPrefixIgnoringCase(_ literal: String, at index: Int) -> Bool {
        let wanted = Array(literal.utf8)
        guard index + wanted.count <= bytes.count else { return false }
        for position in 0..<wanted.count where MarkdownByte.lowercased(bytes[index + position]) != MarkdownByte.lowercased(wanted[position]) {
            return false
        }
        return true
    }

    /// Whether `literal` occurs in bytes `start...`.
    func contains(_ literal: StaticString, from start: Int) -> Bool {
        firstIndex(of: literal, from: start) != nil
    }

    /// The byte index of the first occurrence of `literal` in bytes `start...`.
    func firstIndex(of literal: StaticString, from start: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        guard count > 0, start + count <= bytes.count else { return nil }
        return literal.withUTF8Buffer { buffer in
            var index = max(start, 0)
            while index + count <= bytes.count {
                if bytes[index] == buffer[0] {
                    var position = 1
                    while position < count, bytes[index + position] == buffer[position] { position += 1 }
                    if position == count { return index }
                }
                index += 1
            }
            return nil
        }
    }

    /// Whether `literal` occurs in bytes `start...`, ignoring ASCII case.
    func containsIgnoringCase(_ literal: String, from start: Int) -> Bool {
        let count = literal.utf8.count
        var index = max(start, 0)
        while index + count <= bytes.count {
            if hasPrefixIgnoringCase(literal, at: index) { return true }
            index += 1
        }
        return false
    }

    /// Whether only spaces and tabs stand in bytes `start...`.
    func isBlank(from start: Int) -> Bool {
        var index = start
        while index < bytes.count {
            if bytes[index] != MarkdownByte.space, bytes[index] != MarkdownByte.tab { return false }
            index += 1
        }
        return true
    }
}

/// The bytes and byte classes of CommonMark's block syntax (ASCII only).
enum MarkdownByte {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let greaterThan = UInt8(ascii: ">")
    static let lessThan = UInt8(ascii: "<")
    static let backtick = UInt8(ascii: "`")
    static let tilde = UInt8(ascii: "~")
    static let hash = UInt8(ascii: "#")

    static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == space || byte == tab }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    /// HTML white space as CommonMark's HTML block conditions use it.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || (byte >= 0x09 && byte <= 0x0D) }
    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte }
}
