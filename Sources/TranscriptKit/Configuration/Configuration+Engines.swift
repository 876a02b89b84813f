/// `engines`: the engine kinds each engine-requiring file runs on, one run per kind.
extension Configuration {
    /// Reads `engines = ["docker", "podman"]`; an unknown name is a problem at its own column.
    mutating func readEngines(_ reader: inout ConfigurationReader) {
        let help = "write engines = [\"" + EngineRegistry.names.joined(separator: "\", \"") + "\"]"
        guard let names = reader.strings("engines", help: help) else { return }
        if names.isEmpty {
            reader.problem("engines", "'engines' names no engine", help)
            return
        }
        for name in names {
            guard let problem = EngineMatrix.problem(with: name) else { continue }
            let (line, column) = reader.locator.locate(key: "engines", section: nil)
            reader.append([Diagnostic(file: reader.path, line: line, column: reader.locator.column(of: "\"\(name)\"", line: line) ?? column,
                                      message: problem, help: help)])
        }
        var seen = Set<String>()
        engines = names.filter { seen.insert($0).inserted }
    }
}

extension KeyLocator {
    /// The 1-based column of the character after the first `text` on `line` (a quoted value's
    /// first character), nil when the line does not hold it.
    func column(of text: String, line: Int) -> Int? {
        guard line > 0, line <= lines.count, let range = lines[line - 1].range(of: text) else { return nil }
        return lines[line - 1].distance(from: lines[line - 1].startIndex, to: range.lowerBound) + 2
    }
}
