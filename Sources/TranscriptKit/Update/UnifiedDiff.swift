/// Unified diff hunks (`@@ -a,b +c,d @@`) for a set of changes to one document, with three
/// lines of context, for `--diff` and the interactive prompt.
package enum UnifiedDiff {
    package static func hunks(_ changes: [CommandChange], in source: SourceFile, context: Int = 3) -> String {
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
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            out += body.map { $0 + "\n" }.joined()
            delta += groupDelta
        }
        return out
    }
}
