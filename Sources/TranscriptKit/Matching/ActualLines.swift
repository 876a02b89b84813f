/// A command's output as the lines it is compared by (`ActualLine.split`'s rules), stored
/// compactly: the bytes once and four bytes per line where each starts, each line made on access.
/// Eight million short lines cost 32 MB here, not the 330 MB of one `ActualLine` apiece.
/// A window (`windowed`) shows only the first and last lines of a long output, for a diff.
struct ActualLines: RandomAccessCollection, Sendable {
    let output: [UInt8]
    let exact: Bool
    /// Where each line of the whole output starts, then where the next would (`starts.count`
    /// is one more than the lines); `UInt32` while the output is under 4 GiB, else `Int`.
    private let narrow: [UInt32]
    private let wide: [Int]
    /// Whether the output's last line has no newline.
    private let lastNoEOL: Bool
    /// The lines shown, as indices of the whole output's lines: `lowest..<lowest + head` and then,
    /// past a gap of `gap` lines, the rest up to `end`.
    private let lowest: Int
    private let end: Int
    private(set) var head: Int
    private(set) var gap = 0

    /// Splits `output` on "\n"; in default mode (not `exact`) trailing spaces and tabs are not
    /// part of a line and blank lines at the start and end are left out, except a blank last line
    /// without a newline when `keepingBlankNoEOL` (the expectation ends in one: `   (no-eol)`).
    init(_ output: [UInt8], exact: Bool, keepingBlankNoEOL: Bool = false) {
        self.output = output
        self.exact = exact
        var starts: [Int] = []
        var narrow: [UInt32] = []
        let isWide = output.count >= Int(UInt32.max)
        func add(_ offset: Int) {
            if isWide { starts.append(offset) } else { narrow.append(UInt32(truncatingIfNeeded: offset)) }
        }
        add(0)
        output.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                if buffer[index] == UInt8(ascii: "\n") { add(index + 1) }
                index += 1
            }
        }
        let noEOL = output.last.map { $0 != UInt8(ascii: "\n") } ?? false
        if noEOL { add(output.count) }
        lastNoEOL = noEOL
        self.narrow = narrow
        self.wide = starts
        let count = (isWide ? starts.count : narrow.count) - 1
        var lower = 0
        var upper = count
        if !exact {
            func blank(_ line: Int) -> Bool { Self.isBlank(output, Self.range(narrow, starts, line, count, noEOL)) }
            // A kept last line keeps the blank lines before it too (lines stay contiguous).
            let keeps = keepingBlankNoEOL && noEOL && count > 0
            while lower < upper - (keeps ? 1 : 0), blank(lower) { lower += 1 }
            while !keeps, upper > lower, blank(upper - 1) { upper -= 1 }
        }
        lowest = lower
        end = upper
        head = upper - lower
    }

    var startIndex: Int { 0 }
    var endIndex: Int { end - lowest - gap }

    subscript(position: Int) -> ActualLine {
        let line = position < head ? lowest + position : lowest + position + gap
        let all = (wide.isEmpty ? narrow.count : wide.count) - 1
        var range = Self.range(narrow, wide, line, all, lastNoEOL)
        if !exact {
            while range.upperBound > range.lowerBound, output[range.upperBound - 1] == 0x20 || output[range.upperBound - 1] == 0x09 {
                range = range.lowerBound..<(range.upperBound - 1)
            }
        }
        return ActualLine(bytes: output[range], noEOL: lastNoEOL && line == all - 1)
    }

    /// The index of line `position` among all the lines (the same unless windowed).
    func lineIndex(_ position: Int) -> Int { position < head ? position : position + gap }

    /// At most `limit` lines: the first and the last half of them, the rest left out; `gap`
    /// says how many.
    func windowed(keeping limit: Int) -> ActualLines {
        guard count > limit else { return self }
        var copy = self
        copy.head = limit / 2
        copy.gap = count - limit
        return copy
    }

    private static func range(_ narrow: [UInt32], _ wide: [Int], _ line: Int, _ count: Int, _ lastNoEOL: Bool) -> Range<Int> {
        let start = wide.isEmpty ? Int(narrow[line]) : wide[line]
        let next = wide.isEmpty ? Int(narrow[line + 1]) : wide[line + 1]
        let newline = (line == count - 1 && lastNoEOL) ? 0 : 1
        return start..<(next - newline)
    }

    private static func isBlank(_ output: [UInt8], _ range: Range<Int>) -> Bool {
        output[range].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}
