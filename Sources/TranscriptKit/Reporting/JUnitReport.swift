import Foundation

/// JUnit XML: a testsuite per file, a testcase per session block (named by its nearest heading
/// and line), failures with the diff, skips with their reason, times in seconds.
package final class JUnitReport: Report, @unchecked Sendable {
    let sink: ReportSink
    private var suites: [String] = []
    private var totals = (tests: 0, failures: 0, errors: 0, skipped: 0)

    package init(sink: ReportSink) {
        self.sink = sink
    }

    package func add(_ outcome: FileOutcome) {
        var cases: [String] = []
        var failures = 0, errors = 0, skipped = 0
        let file = xml(outcome.path)
        // A suite per file and engine: in a matrix run its name and the cases' class name carry the engine.
        let suite = xml(outcome.label)
        func testcase(_ name: String, time: Duration, body: String) {
            cases.append("    <testcase name=\"\(xml(name))\" classname=\"\(suite)\" file=\"\(file)\" time=\"\(seconds(time))\">" + body
                         + (body.isEmpty ? "" : "\n    ") + "</testcase>")
        }
        switch outcome.status {
        case .invalid:
            errors += 1
            testcase(outcome.path, time: outcome.duration,
                     body: "\n      <error message=\"bad input\" type=\"invalid\">\(xml(outcome.diagnostics.map(\.description).joined(separator: "\n")))</error>")
        case .skipped(let reason) where outcome.blocks.isEmpty:
            skipped += 1
            testcase(outcome.path, time: outcome.duration, body: "\n      <skipped message=\"\(xml(reason))\"/>")
        default:
            if !outcome.errors.isEmpty {
                errors += 1
                testcase(outcome.path, time: outcome.duration,
                         body: "\n      <error message=\"\(xml(outcome.errors.first ?? ""))\" type=\"error\">\(xml(outcome.errors.joined(separator: "\n")))</error>")
            }
            for block in outcome.testBlocks {
                let at = block.origin.map { "\($0) line \(block.line)" } ?? "line \(block.line)"
                let name = (block.isSetup ? "setup: " : "") + ((block.heading.map { "\($0) (\(at))" }) ?? at)
                switch block.status {
                case .passed, .nowConforms:
                    testcase(name, time: block.duration, body: "")
                case .skipped(let reason):
                    skipped += 1
                    testcase(name, time: block.duration, body: "\n      <skipped message=\"\(xml(reason))\"/>")
                case .diverged(let reason):
                    skipped += 1
                    testcase(name, time: block.duration,
                             body: "\n      <skipped message=\"known divergence: \(xml(reason))\"/>\n      <system-out>\(xml(ReportText.details(block, outcome)))</system-out>")
                case .failed, .notRun:
                    failures += 1
                    let at = "\(block.path(in: outcome)):\(ReportText.failureLine(block))"
                    testcase(name, time: block.duration,
                             body: "\n      <failure message=\"output differs at \(xml(at))\" type=\"mismatch\">\(xml(ReportText.details(block, outcome)))</failure>")
                }
            }
        }
        totals.tests += cases.count
        totals.failures += failures
        totals.errors += errors
        totals.skipped += skipped
        suites.append("  <testsuite name=\"\(suite)\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(outcome.duration))\">\n"
                      + cases.joined(separator: "\n") + (cases.isEmpty ? "" : "\n") + "  </testsuite>")
    }

    package func finish(_ summary: Summary) {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<testsuites name=\"transcript\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"\(totals.errors)\" skipped=\"\(totals.skipped)\">\n"
        text += suites.map { $0 + "\n" }.joined()
        text += "</testsuites>\n"
        sink.write(text)
        sink.close()
    }

    func seconds(_ d: Duration) -> String { String(format: "%.3f", d.seconds) }
}

/// Text escaped for XML content and attributes; characters XML 1.0 cannot hold become U+FFFD.
func xml(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
