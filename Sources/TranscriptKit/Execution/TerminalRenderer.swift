/// What a terminal shows of a program's output, line by line, as a page shows it: a carriage
/// return goes back to the line's start and what follows overwrites it, a backspace moves back,
/// `\r\n` ends a line, and control sequences (colours, cursor queries, bracketed paste, window
/// titles) show nothing, except erasing to the line's end and moving the cursor along the line.
struct TerminalRenderer {
    /// Lines completed so far, without their line ends.
    private(set) var lines: [[UInt8]] = []
    /// The line being written.
    private(set) var current: [UInt8] = []
    private var column = 0
    private var escape = Escape.none

    private enum Escape {
        case none
        /// After ESC.
        case started
        /// In `ESC [`: parameters so far.
        case control([UInt8])
        /// In `ESC ]` (an operating system command), up to BEL or `ESC \`.
        case system(sawEscape: Bool)
    }

    /// Takes more output.
    mutating func feed<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { take(byte) }
    }

    private mutating func take(_ byte: UInt8) {
        switch escape {
        case .none:
            plain(byte)
        case .started:
            switch byte {
            case UInt8(ascii: "["): escape = .control([])
            case UInt8(ascii: "]"): escape = .system(sawEscape: false)
            default: escape = .none  // a two-byte sequence: ESC 7, ESC =, ...
            }
        case .control(var parameters):
            if (0x20...0x3F).contains(byte) {
                parameters.append(byte)
                escape = .control(parameters)
            } else {
                escape = .none
                control(final: byte, parameters: parameters)
            }
        case .system(let sawEscape):
            if byte == 0x07 || (sawEscape && byte == UInt8(ascii: "\\")) {
                escape = .none
            } else {
                escape = .system(sawEscape: byte == 0x1B)
            }
        }
    }

    private mutating func plain(_ byte: UInt8) {
        switch byte {
        case 0x1B: escape = .started
        case UInt8(ascii: "\n"): endLine()
        case UInt8(ascii: "\r"): column = 0
        case 0x08: column = max(0, column - 1)
        case 0x07, 0x00, 0x0E, 0x0F: break  // bell, padding, character set shifts
        default: put(byte)
        }
    }

    private mutating func put(_ byte: UInt8) {
        if column < current.count {
            current[column] = byte
        } else {
            if column > current.count { current += [UInt8](repeating: UInt8(ascii: " "), count: column - current.count) }
            current.append(byte)
        }
        column += 1
    }

    /// `ESC [ parameters final`: erase in line (K) and cursor moves along the line (C, D, G)
    /// change what the line shows; everything else shows nothing.
    private mutating func control(final: UInt8, parameters: [UInt8]) {
        let number = Int(String(decoding: parameters.filter { (0x30...0x39).contains($0) }, as: UTF8.self))
        switch final {
        case UInt8(ascii: "K"):
            switch number ?? 0 {
            case 0: if column < current.count { current.removeSubrange(column...) }
            case 2: current.removeAll()
            default: break
            }
        case UInt8(ascii: "C"): column += max(1, number ?? 1)
        case UInt8(ascii: "D"): column = max(0, column - max(1, number ?? 1))
        case UInt8(ascii: "G"): column = max(0, (number ?? 1) - 1)
        default: break
        }
    }

    private mutating func endLine() {
        lines.append(current)
        current = []
        column = 0
    }

    /// The line being written, without trailing spaces.
    var currentTrimmed: [UInt8] {
        var line = current[...]
        while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { line = line.dropLast() }
        return Array(line)
    }

    /// Everything shown: the completed lines and the current one, each ending in a newline
    /// (a last line the program left open is ended too; a terminal shows no missing newline).
    func text(droppingCurrent: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line
            bytes.append(UInt8(ascii: "\n"))
        }
        if !droppingCurrent && !current.isEmpty {
            bytes += current
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
