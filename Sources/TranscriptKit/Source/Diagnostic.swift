/// A problem with a transcript or its configuration, located at `file:line:column` (1-based),
/// rendered as `path:line:column: error: message` followed by what would fix it.
package struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    /// 1-based line; 0 when the problem concerns the whole file (shown as line 1).
    package var line: Int
    /// 1-based column; 0 when unknown (shown as column 1).
    package var column: Int
    package var message: String
    /// What would fix it, or further context (each rendered on its own line).
    package var notes: [String]

    package init(file: String, line: Int, column: Int, message: String, help: String? = nil, notes: [String] = []) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.notes = notes + (help.map { ["help: " + $0] } ?? [])
    }

    /// `path:line:column`: a problem with the whole file is located at its start (`path:1:1`),
    /// so that every message carries a position editors and CI annotations can jump to.
    package var location: String {
        "\(file):\(max(line, 1)):\(max(column, 1))"
    }

    package var description: String {
        var out = "\(location): error: \(message)"
        for note in notes {
            out += "\n  " + note
        }
        return out
    }
}

/// One or more diagnostics: the error type of everything that reads input before running it.
package struct Diagnostics: Error, Sendable, CustomStringConvertible {
    package var items: [Diagnostic]
    /// What a parser could still make of the document around its errors (its blocks that hold
    /// none), so that the errors of those blocks are reported in the same run.
    package var partial: Transcript?

    package init(_ items: [Diagnostic], partial: Transcript? = nil) {
        self.items = items
        self.partial = partial
    }

    package var description: String { items.map(\.description).joined(separator: "\n") }
}
