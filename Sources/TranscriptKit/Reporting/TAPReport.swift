/// TAP version 13: one test point per session block, named `path:line`, with the diff as YAML
/// diagnostics, `# SKIP reason` for skips and `# TODO` for known divergences. The plan comes last.
package final class TAPReport: Report, @unchecked Sendable {
    let sink: ReportSink
    private var count = 0

    package init(sink: ReportSink) {
        self.sink = sink
        sink.write("TAP version 13\n")
    }

    package func add(_ outcome: FileOutcome) {
        var text = ""
        func point(_ ok: Bool, _ name: String, directive: String? = nil, yaml: [(String, String)] = []) {
            count += 1
            text += "\(ok ? "ok" : "not ok") \(count) - \(escape(name))"
            if let directive { text += " # \(directive)" }
            text += "\n"
            if !yaml.isEmpty {
                text += "  ---\n"
                for (key, value) in yaml {
                    if value.contains("\n") || value.isEmpty {
                        text += "  \(key): |\n" + value.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n") + "\n"
                    } else {
                        text += "  \(key): \(yamlScalar(value))\n"
                    }
                }
                text += "  ...\n"
            }
        }
        switch outcome.status {
        case .invalid:
            point(false, outcome.label, yaml: [("message", "bad input"), ("errors", outcome.diagnostics.map(\.description).joined(separator: "\n"))])
        case .skipped(let reason) where outcome.blocks.isEmpty:
            point(true, outcome.label, directive: "SKIP \(reason)")
        default:
            if outcome.blocks.isEmpty || !outcome.errors.isEmpty {
                let ok = outcome.status == .passed
                point(ok, outcome.label, yaml: ok ? [] : [("message", outcome.errors.joined(separator: "\n"))])
            }
            for block in outcome.testBlocks {
                let name = ReportText.name(block, outcome)
                switch block.status {
                case .passed:
                    point(true, name)
                case .skipped(let reason):
                    point(true, name, directive: "SKIP \(reason)")
                case .failed, .notRun:
                    point(false, name, yaml: [("message", "output differs"), ("at", "\(block.path(in: outcome)):\(ReportText.failureLine(block))"),
                                              ("diff", ReportText.details(block, outcome))])
                case .diverged(let reason):
                    point(false, name, directive: "TODO known divergence: \(reason)",
                          yaml: [("diff", ReportText.details(block, outcome))])
                case .nowConforms(let reason):
                    point(true, name, directive: "TODO now conforms, marked diverges: \(reason)")
                }
            }
        }
        sink.write(text)
    }

    package func finish(_ summary: Summary) {
        sink.write("1..\(count)\n# \(summary.line)\n")
        sink.close()
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "#", with: "\\#")
    }

    func yamlScalar(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || " ._/-:()".contains($0) } && !s.hasPrefix("-") && !s.contains(": ")
        return plain ? s : "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
