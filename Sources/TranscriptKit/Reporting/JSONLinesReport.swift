import Foundation

/// JSON Lines: one object per line. Events, in order: `file` (start of a file's results),
/// `command` (each command that ran), `block`, `file_end`, and `summary` last.
/// The schema is documented in docs/reports.md.
package final class JSONLinesReport: Report, @unchecked Sendable {
    let sink: ReportSink

    package init(sink: ReportSink) {
        self.sink = sink
    }

    package func add(_ outcome: FileOutcome) {
        var events: [[String: Any]] = [["event": "file", "path": outcome.path]]
        for block in outcome.blocks {
            for command in block.commands {
                events.append(commandEvent(command, in: block, of: outcome))
            }
            events.append(blockEvent(block, of: outcome))
        }
        events.append(fileEndEvent(outcome))
        // In a matrix run every event names the engine of its file's run.
        if let engine = outcome.matrixEngine {
            for index in events.indices { events[index]["matrix_engine"] = engine }
        }
        sink.write(events.map { json($0) + "\n" }.joined())
    }

    /// The `command` event of one command.
    func commandEvent(_ command: CommandOutcome, in block: BlockOutcome, of outcome: FileOutcome) -> [String: Any] {
        var object: [String: Any] = [
            "event": "command", "path": outcome.path, "block_line": block.line, "line": command.line,
            "command": command.text, "passed": command.status == .passed, "status": "\(command.status)",
        ]
        if let origin = block.origin { object["origin"] = origin }
        if let ran = command.ranText { object["ran"] = ran }
        if let result = command.result {
            object["exit_status"] = Int(result.exitStatus)
            object["duration_ms"] = Int((result.duration.seconds * 1000).rounded())
            object["timed_out"] = result.timedOut
        }
        object["expected_exit_status"] = Int(command.expectedExit ?? 0)
        if let match = command.match, !match.passed {
            object["diff"] = match.diff.map { line -> [String: Any] in
                switch line.kind {
                case .same: return ["kind": "same", "text": line.text]
                case .expected: return ["kind": "expected", "text": line.text]
                case .actual: return ["kind": "actual", "text": line.text]
                case .omitted: return ["kind": "omitted", "text": line.text, "count": line.omitted]
                }
            }
            let omitted = match.diff.reduce(0) { $0 + $1.omitted }
            if omitted > 0 { object["diff_lines_omitted"] = omitted }
            if let first = match.firstMismatchLine { object["first_mismatch_line"] = first }
        }
        if !command.messages.isEmpty { object["messages"] = command.messages }
        if let match = command.match, let note = match.unshownNote {
            object["note"] = note
            object["unshown_output"] = match.unshownOutput
        }
        return object
    }

    /// The `block` event of one block, after its commands'.
    func blockEvent(_ block: BlockOutcome, of outcome: FileOutcome) -> [String: Any] {
        var object: [String: Any] = ["event": "block", "path": outcome.path, "line": block.line,
                                     "duration_ms": Int((block.duration.seconds * 1000).rounded())]
        if let heading = block.heading { object["heading"] = heading }
        if let origin = block.origin { object["origin"] = origin }
        if block.isSetup { object["setup"] = true }
        switch block.status {
        case .passed: object["status"] = "passed"
        case .failed: object["status"] = "failed"
        case .notRun: object["status"] = "not_run"
        case .skipped(let reason): object["status"] = "skipped"; object["reason"] = reason
        case .diverged(let reason): object["status"] = "diverged"; object["reason"] = reason
        case .nowConforms(let reason): object["status"] = "now_conforms"; object["reason"] = reason
        }
        return object
    }

    /// The `file_end` event of a file.
    func fileEndEvent(_ outcome: FileOutcome) -> [String: Any] {
        var end: [String: Any] = ["event": "file_end", "path": outcome.path,
                                  "duration_ms": Int((outcome.duration.seconds * 1000).rounded())]
        switch outcome.status {
        case .passed: end["status"] = "passed"
        case .failed: end["status"] = "failed"
        case .invalid: end["status"] = "invalid"
        case .skipped(let reason): end["status"] = "skipped"; end["reason"] = reason
        }
        if !outcome.diagnostics.isEmpty {
            end["errors"] = outcome.diagnostics.map { ["file": $0.file, "line": max($0.line, 1), "column": max($0.column, 1), "message": $0.message] as [String: Any] }
        }
        if !outcome.errors.isEmpty { end["messages"] = outcome.errors }
        if let engine = outcome.engine {
            end["engine"] = ["name": engine.name, "kind": engine.kind, "server_version": engine.serverVersion, "client_version": engine.clientVersion,
                             "ready_ms": milliseconds(engine.readySeconds), "start_ms": milliseconds(engine.startSeconds),
                             "fixtures_ms": milliseconds(engine.fixturesSeconds), "wait_ms": milliseconds(engine.waitSeconds),
                             "stop_ms": milliseconds(engine.stopSeconds)] as [String: Any]
        }
        return end
    }

    private func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

    package func finish(_ summary: Summary) {
        sink.write(json(["event": "summary", "passed": summary.passed, "failed": summary.failed,
                         "skipped": summary.skipped, "invalid": summary.invalid, "diverged_blocks": summary.divergedBlocks,
                         "exit_code": Int(summary.exitCode)]) + "\n")
        sink.close()
    }

    func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
