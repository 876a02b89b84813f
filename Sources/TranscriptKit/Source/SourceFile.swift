import Foundation

/// A transcript's text as read from disk, split into lines that remember their line endings,
/// so that update mode can write back every byte it did not mean to change.
package struct SourceFile: Sendable {
    /// The path as the user named it (used in reports and diagnostics).
    package let path: String
    /// The absolute path.
    package let absolutePath: String
    /// The file's lines, without their endings.
    package let lines: [String]
    /// Each line's ending: "\n", "\r\n", "\r", or "" for a last line without one.
    package let endings: [String]

    package init(path: String, absolutePath: String? = nil, text: String) {
        self.path = path
        self.absolutePath = absolutePath ?? path
        var lines: [String] = []
        var endings: [String] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            // A carriage return alone ends a line too (CommonMark), as in old Mac files.
            if utf8[index] == UInt8(ascii: "\r") {
                let next = utf8.index(after: index)
                if next == utf8.endIndex || utf8[next] != UInt8(ascii: "\n") {
                    lines.append(String(decoding: utf8[start..<index], as: UTF8.self))
                    endings.append("\r")
                    index = next
                    start = index
                    continue
                }
            }
            if utf8[index] == UInt8(ascii: "\n") {
                var end = index
                var ending = "\n"
                if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") {
                    end = utf8.index(before: end)
                    ending = "\r\n"
                }
                lines.append(String(decoding: utf8[start..<end], as: UTF8.self))
                endings.append(ending)
                index = utf8.index(after: index)
                start = index
            } else {
                index = utf8.index(after: index)
            }
        }
        if start != utf8.endIndex {
            lines.append(String(decoding: utf8[start..<utf8.endIndex], as: UTF8.self))
            endings.append("")
        }
        self.lines = lines
        self.endings = endings
    }

    /// Reads a file; invalid UTF-8 is an error, since rewriting it would change bytes.
    package static func read(path: String) throws(Diagnostic) -> SourceFile {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw Diagnostic(file: path, line: 1, column: 1, message: "cannot read the file: \(unreadableReason(absolute))",
                             help: "check that it exists and is readable")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw notUTF8(path: path, data: data)
        }
        return SourceFile(path: path, absolutePath: URL(fileURLWithPath: absolute).standardizedFileURL.path, text: text)
    }

    /// The whole text, reassembled exactly.
    package var text: String {
        var out = ""
        for (line, ending) in zip(lines, endings) {
            out += line
            out += ending
        }
        return out
    }

    /// The text of 1-based line `number`, or "" past the end.
    package func line(_ number: Int) -> String {
        number >= 1 && number <= lines.count ? lines[number - 1] : ""
    }
}
