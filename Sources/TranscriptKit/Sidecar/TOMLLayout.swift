import Foundation

/// Where the keys of a TOML text are written, table by table, including each entry of an array
/// of tables (`[[document]]`, `[[document.block]]`), which the TOML library keeps no positions
/// for. Lines inside multi-line strings are skipped, so a session's output line `[docker]` is
/// not read as a table header.
struct TOMLLayout {
    /// One table as written: the top level, a `[name]` section, or an entry of `[[name]]`.
    struct Table {
        /// The header's name (`document.block`), "" for the top level.
        var name: String
        /// 1-based line and column of the header (1, 1 for the top level).
        var line: Int
        var column: Int
        var keys: [String: KeyPosition] = [:]
    }

    /// Where `key = value` is written.
    struct KeyPosition {
        var line: Int
        var column: Int
        /// Where a string value's first character is: after the quotes, or on the next line when
        /// a multi-line string's opening quotes end their line.
        var valueLine: Int
        var valueColumn: Int
        /// The line of a multi-line string's closing quotes (== `line` for other values).
        var endLine: Int
    }

    private(set) var tables: [Table] = []

    init(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        tables.append(Table(name: "", line: 1, column: 1))
        var number = 0
        while number < lines.count {
            let raw = lines[number]
            number += 1
            let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
            let line = raw.dropFirst(indent)
            if line.first == "[" {
                let double = line.starts(with: ["[", "["])
                let close = line.firstIndex(of: "]") ?? line.endIndex
                let name = String(line[line.index(line.startIndex, offsetBy: double ? 2 : 1)..<close])
                tables.append(Table(name: name.filter { $0 != " " && $0 != "\t" }, line: number, column: indent + 1))
                continue
            }
            guard let equals = line.firstIndex(of: "="), line.first != "#" else { continue }
            let key = String(line[..<equals]).trimmingWhitespace.trimmingCharacters(in: ["\"", "'"])
            var position = KeyPosition(line: number, column: indent + 1, valueLine: number, valueColumn: 0, endLine: number)
            var index = line.index(after: equals)
            while index < line.endIndex, line[index] == " " || line[index] == "\t" { index += 1 }
            let rest = Array(line[index...])
            let column = index + 1
            if let quote = rest.first, quote == "\"" || quote == "'" {
                let triple = rest.count >= 3 && rest[1] == quote && rest[2] == quote
                let opening = triple ? 3 : 1
                position.valueColumn = column + opening
                if triple {
                    let after = Array(rest.dropFirst(3))
                    if after.isEmpty {
                        position.valueLine = number + 1
                        position.valueColumn = 1
                    }
                    if !Self.closes(after, quote: quote) {
                        while number < lines.count {
                            number += 1
                            if Self.closes(lines[number - 1], quote: quote) { break }
                        }
                    }
                    position.endLine = number
                }
            }
            tables[tables.count - 1].keys[key] = position
        }
    }

    /// Whether `text` holds the closing `'''` or `"""` of a multi-line string.
    private static func closes(_ text: [Character], quote: Character) -> Bool {
        var run = 0
        var escaped = false
        for character in text {
            if quote == "\"", character == "\\", !escaped { escaped = true; run = 0; continue }
            if character == quote, !escaped { run += 1 } else { run = 0 }
            escaped = false
            if run == 3 { return true }
        }
        return false
    }

    /// The entries of the array of tables `name`, in order (each `[[name]]` header).
    func entries(_ name: String) -> [Table] {
        tables.filter { $0.name == name }
    }

    /// The entries of `[[child]]` written after the `index`-th `[[parent]]` and before the next one.
    func entries(_ child: String, under parent: String, at index: Int) -> [Table] {
        var seen = -1
        var found: [Table] = []
        for table in tables {
            if table.name == parent { seen += 1; continue }
            if seen == index, table.name == child { found.append(table) }
        }
        return found
    }
}
