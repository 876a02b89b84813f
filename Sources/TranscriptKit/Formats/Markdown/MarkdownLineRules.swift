/// A fenced session's content lines: a line that would close the fence ends the block.
package struct MarkdownFenceRules: ContentLineRules, Hashable {
    /// The fence's character, a backtick or a tilde.
    package var character: UInt8
    /// The opening fence's length; a closing fence is at least as long.
    package var length: Int

    package init(character: UInt8, length: Int) {
        self.character = character
        self.length = length
    }

    /// Whether `bytes`, as a content line, would close the fence.
    package func misreads(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index <= 3 || bytes[..<index].contains(0x09) else { return false }
        var end = index
        while end < bytes.count, bytes[end] == character { end += 1 }
        return end - index >= length && bytes[end...].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The first fence character after the leading white space.
    package func offsetsToEscape(in bytes: [UInt8]) -> [Int] {
        let leading = bytes.prefix(while: { $0 == 0x20 || $0 == 0x09 }).count
        return leading < bytes.count && bytes[leading] == character ? [leading] : []
    }
}

/// A hidden session's content lines: `-->` anywhere ends its HTML comment.
package struct MarkdownCommentRules: ContentLineRules, Hashable {
    package init() {}

    package func misreads(_ bytes: [UInt8]) -> Bool {
        !offsetsToEscape(in: bytes).isEmpty
    }

    /// The `-` starting each `-->`.
    package func offsetsToEscape(in bytes: [UInt8]) -> [Int] {
        var found: [Int] = []
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] == UInt8(ascii: ">") {
                found.append(index)
            }
            index += 1
        }
        return found
    }
}
