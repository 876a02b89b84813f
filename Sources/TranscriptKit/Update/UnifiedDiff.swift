/// Unified diff hunks (`@@ -a,b +c,d @@`) for a set of changes to one document, with three
/// lines of context, for `--diff` and the interactive prompt; coloured as git colours them
/// (removed lines red, added green, hunk headers cyan) when `style` says so.
package enum UnifiedDiff {
    package static func hunks(_ changes: [CommandChange], in source: SourceFile, context: Int = 3,
                              style: Style = Style(color: false)) -> String {
        let sorted = changes.sorted { $0.lines.lowerBound < $1.lines.lowerBound }
        guard !sorted.isEmpty else { return "" }
        // Group changes whose context would touch.
        var groups: [[CommandChange]] = []
        for change in sorted {
            if let last = groups.last?.last, change.lines.lowerBound - context <= last.lines.upperBound + context - 1 {
                groups[groups.count - 1].append(change)
            } else {
                groups.append([change])
            }
        }
        var out = ""
        var delta = 0
        let count = source.lines.count
        for group in groups {
            guard let first = group.first, let last = group.last else { continue }
            let start = max(1, first.lines.lowerBound - context)
            let end = min(count + 1, last.lines.upperBound + context)
            var body: [String] = []
            var oldCount = 0
            var newCount = 0
            var line = start
            var groupDelta = 0
            for change in group {
                while line < change.lines.lowerBound {
                    body.append(" " + source.line(line)); line += 1; oldCount += 1; newCount += 1
                }
                for old in change.lines { body.append("-" + source.line(old)); oldCount += 1 }
                for new in change.replacement { body.append("+" + new); newCount += 1 }
                line = change.lines.upperBound
                groupDelta += change.replacement.count - change.lines.count
            }
            while line < end {
                body.append(" " + source.line(line)); line += 1; oldCount += 1; newCount += 1
            }
            let oldStart = oldCount == 0 ? start - 1 : start
            let newStart = newCount == 0 ? start - 1 + delta : start + delta
            out += style.cyan("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@") + "\n"
            out += body.map { paint($0, style) + "\n" }.joined()
            delta += groupDelta
        }
        return out
    }

    /// The `---`/`+++` lines that name the file above its hunks.
    package static func header(_ path: String, style: Style = Style(color: false)) -> String {
        style.bold("--- \(path)") + "\n" + style.bold("+++ \(path)") + "\n"
    }

    /// One body line in its colour: removed red, added green, context as it is.
    static func paint(_ line: String, _ style: Style) -> String {
        switch line.first {
        case "-": return style.red(line)
        case "+": return style.green(line)
        default: return line
        }
    }
}
