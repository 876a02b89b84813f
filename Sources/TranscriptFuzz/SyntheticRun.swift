import Foundation
@testable import TranscriptKit

/// A deterministic generator, so the outputs made up for a case follow from its bytes alone
/// (a minimized input then fails the same way).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    init(bytes: [UInt8]) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What each command "printed" in a run made up without a shell: per block, per command, the
/// output bytes and the exit status.
struct SyntheticOutputs {
    var results: [[CommandResult]]

    /// Output lines chosen to hit the updater's escaping rules.
    static let pool = ["plain", "", "$ ls", "$", "...", "[3]", "x (re)", "y (no-eol)", "```", "~~~~", "{{int}}",
                       "> q", "\tt", "a\u{1b}[0mb", "-->", "42", "caf\u{e9}", "  indented", "{{$ID}}", "<!-- transcript"]

    /// Each command prints its own expected lines and ends with its expected status.
    static func asExpected(_ plan: FilePlan) -> SyntheticOutputs {
        SyntheticOutputs(results: plan.transcript.blocks.indices.map { block in
            plan.transcript.blocks[block].commands.indices.map { index in
                let command = plan.transcript.blocks[block].commands[index]
                let text = command.expected.map { $0.text + "\n" }.joined()
                return result(text, status: plan.expectedStatus(block: block, command: index).status)
            }
        })
    }

    /// Each command prints its expected lines with some changed, dropped or added, and now and
    /// then ends with another status.
    static func perturbed(_ plan: FilePlan, random: inout SplitMix) -> SyntheticOutputs {
        SyntheticOutputs(results: plan.transcript.blocks.indices.map { block in
            plan.transcript.blocks[block].commands.indices.map { index in
                let command = plan.transcript.blocks[block].commands[index]
                var lines: [String] = []
                for line in command.expected {
                    switch Int.random(in: 0..<8, using: &random) {
                    case 0: continue
                    case 1: lines.append(pool.randomElement(using: &random) ?? "")
                    case 2: lines += [line.text, pool.randomElement(using: &random) ?? ""]
                    default: lines.append(line.text)
                    }
                }
                if command.expected.isEmpty, Bool.random(using: &random) { lines.append(pool.randomElement(using: &random) ?? "") }
                var text = lines.map { $0 + "\n" }.joined()
                if !text.isEmpty, Int.random(in: 0..<6, using: &random) == 0 { text.removeLast() }
                var status = plan.expectedStatus(block: block, command: index).status
                if Int.random(in: 0..<6, using: &random) == 0 { status = [0, 1, 3].randomElement(using: &random) ?? 0 }
                return result(text, status: status)
            }
        })
    }

    static func result(_ text: String, status: Int32) -> CommandResult {
        CommandResult(output: Array(text.utf8), cutBytes: 0, exitStatus: status, timedOut: false, shellEnded: false, duration: .zero)
    }
}

/// Runs a plan's blocks through the harness's own execution state with made-up results instead
/// of a shell: the matching, the bindings and the outcomes are the real ones.
enum SyntheticRun {
    static func outcome(_ plan: FilePlan, path: String, outputs: SyntheticOutputs) -> FileOutcome {
        var outcome = FileOutcome(path: path, status: .passed, transcript: plan.transcript, plan: plan)
        let selection: BlockSelection
        switch BlockSelection.decide(plan, missing: { _ in nil }, chosen: nil) {
        case .skipFile(let reason, _):
            outcome.status = .skipped(reason: reason)
            return outcome
        case .run(let chosen):
            selection = chosen
        }
        var execution = FileExecution(plan: plan, selection: selection)
        while let batch = execution.nextBatch() {
            let results = batch.texts.indices.map { outputs.results[batch.block][batch.first + $0] }
            if batch.background {
                _ = execution.recordBackground(batch, BackgroundBlock.Finished(results: results, duration: .zero))
            } else {
                for offset in results.indices { _ = execution.record(batch, offset: offset, result: results[offset]) }
            }
        }
        outcome.blocks = execution.blocks
        outcome.bindings = execution.bindings
        let failed = outcome.blocks.contains { block in
            switch block.status {
            case .failed, .notRun: return true
            default: return false
            }
        }
        outcome.status = failed ? .failed : .passed
        return outcome
    }
}
