/// The Markdown of a matrix run's document: a verdict per engine for each block, and
/// each command the engines part on with the documented text and every engine's output side by side.
extension ConformanceReport {
    /// The totals of a matrix run: a column per engine.
    func matrixTotalsMarkdown() -> String {
        let columns = totalsColumns()
        let counts = columns.map { totals(on: $0) }
        var text = "| verdict | " + columns.map { $0 ?? "no engine" }.joined(separator: " | ") + " |\n|"
            + String(repeating: " --- |", count: columns.count + 1) + "\n"
        for v in [Verdict.conforms, .diverges, .fails, .skipped, .invalid] where v == .conforms || counts.contains(where: { $0[v, default: 0] > 0 }) {
            text += "| \(v.rawValue) | " + counts.map { String($0[v, default: 0]) }.joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// The engines totals are counted for, and nil for files that ran on none, if there are any.
    func totalsColumns() -> [String?] {
        matrixEngines() + (documents.contains { $0.matrixEngine == nil } ? [nil] : [])
    }

    /// One document run on several engines, in Markdown.
    func matrixMarkdown(_ runs: [FileOutcome]) -> String {
        var text = "| line | section | " + runs.map(columnName).joined(separator: " | ") + " |\n|"
            + String(repeating: " --- |", count: runs.count + 2) + "\n"
        let indices = documentedIndices(runs)
        for index in indices {
            let block = runs.lazy.compactMap { $0.blocks.first { $0.index == index } }.first
            text += "| \(block.map(lineName) ?? "") | \(cell(block?.heading ?? "")) | "
                + runs.map { cell(verdictText(verdict(of: index, in: $0))) }.joined(separator: " | ") + " |\n"
        }
        for run in runs {
            if case .skipped(let reason) = run.status, run.blocks.isEmpty { text += "\nSkipped (\(columnName(run))): \(reason)\n" }
            for error in run.errors { text += "\nError (\(columnName(run))): \(error)\n" }
        }
        for index in indices {
            let commands = commandLines(block: index, runs: runs, all: false)
            guard !commands.isEmpty else { continue }
            let block = runs.lazy.compactMap { $0.blocks.first { $0.index == index } }.first
            text += "\n### Line \(block.map(lineName) ?? ""): " + runs.map { "\(columnName($0)) \(verdict(of: index, in: $0).0.rawValue)" }.joined(separator: ", ") + "\n"
            for command in commands {
                text += "\n`$ \(command.text.split(separator: "\n").first.map(String.init) ?? "")` (line \(command.line))\n\n"
                text += "| documented | " + runs.map(columnName).joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: runs.count + 1) + "\n"
                let documented = documentedColumn(line: command.line, block: index, runs: runs)
                let actual = runs.map { actualColumn(line: command.line, block: index, in: $0) }
                for row in 0..<max(documented.count, actual.map(\.count).max() ?? 0) {
                    let left = documented[safe: row].map { "`\(cell($0.text))`" } ?? ""
                    let right = actual.map { column in
                        column[safe: row].map { $0.1 ? "**`\(cell($0.0))`**" : "`\(cell($0.0))`" } ?? ""
                    }
                    text += "| \(left) | " + right.joined(separator: " | ") + " |\n"
                }
            }
        }
        return text
    }
}
