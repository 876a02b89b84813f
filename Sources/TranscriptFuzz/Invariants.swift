import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import TranscriptKit

/// An invariant a case broke: its kind (failures of one kind are counted and saved together)
/// and what was seen.
struct Violation: Error, Hashable {
    var kind: String
    var detail: String
}

/// The checks each fuzz case goes through, in process: parse and compile the document as `run`
/// does; every input error must be located; a document that compiles is matched against its own
/// expected text, then against perturbed output, and the updater's rewrite of that must pass the
/// full check again (or the updater must refuse it).
final class Invariants {
    private let directory: String
    private let runner: FileRunner
    private var counter = 0

    /// `directory` holds the files each case is written to (a case is read as `run` reads it,
    /// so invalid UTF-8 and the like take the real path).
    init(directory: String) {
        self.directory = directory
        var settings = RunSettings()
        settings.environment = ["PATH": "/usr/bin:/bin"]
        runner = FileRunner(settings: settings, configurations: ConfigurationResolver(),
                            engines: EngineSet(mode: .private, environment: settings.environment), observer: nil)
    }

    /// The first invariant `bytes` breaks, or nil.
    func check(_ bytes: [UInt8]) -> Violation? {
        let path = write(bytes, name: "case.md")
        let plan: FilePlan
        switch runner.prepare(path: path) {
        case .failure(let diagnostics):
            return unlocated(diagnostics, stage: "prepare")
        case .success(let planned):
            plan = planned
        }
        var random = SplitMix(bytes: bytes)
        _ = SyntheticRun.outcome(plan, path: path, outputs: .asExpected(plan))
        let outputs = SyntheticOutputs.perturbed(plan, random: &random)
        let outcome = SyntheticRun.outcome(plan, path: path, outputs: outputs)
        guard outcome.status == .failed else { return nil }
        return checkUpdate(plan, outcome: outcome, outputs: outputs)
    }

    /// The update of a failed synthetic outcome: what it writes, read back from disk as `run`
    /// reads it, passes the full check.
    private func checkUpdate(_ plan: FilePlan, outcome: FileOutcome, outputs: SyntheticOutputs) -> Violation? {
        let updater = DocumentUpdater(plan: plan, outcome: outcome)
        let (changes, _) = updater.changes(for: outcome)
        guard !changes.isEmpty else { return nil }
        let text = DocumentUpdater.apply(changes, to: plan.transcript.source)
        // The updater's own check refuses the rewrite: update writes nothing, as it should.
        if updater.verify(text, changes: changes) != nil { return nil }
        // `update` checks the rewrite as `run` would before writing it (UpdateInvocation.write):
        // a refusal writes nothing, but is counted, as a measure of what update cannot rewrite.
        if let refused = UpdateInvocation.fullCheck(text, of: plan.transcript.source, rerun: runner) {
            let first = refused.items.first
            return Violation(kind: "advisory: update-refuses-rewrite: " + Self.gist(first?.message ?? ""),
                             detail: "update refuses to write a document the full check rejects: \(first?.description ?? "")")
        }
        let path = write(Array(text.utf8), name: "updated.md")
        switch runner.prepare(path: path) {
        case .failure(let diagnostics):
            let first = diagnostics.items.first
            return Violation(kind: "update-writes-rejected-document: " + Self.gist(first?.message ?? ""),
                             detail: "update would write a document the full check rejects: \(first?.description ?? "")")
        case .success(let updated):
            return stillFailing(updated, path: path, outputs: outputs)
        }
    }

    /// The updated document, run with the same made-up output, passes (the same commands in the
    /// same blocks: update rewrites expected lines only). Advisory: made-up output can be
    /// inconsistent where real output is not (an `echo $?` that shows another status).
    private func stillFailing(_ plan: FilePlan, path: String, outputs: SyntheticOutputs) -> Violation? {
        let shape = plan.transcript.blocks.map(\.commands.count)
        guard shape == outputs.results.map(\.count) else {
            return Violation(kind: "update-changes-commands", detail: "the updated document has other commands: \(shape)")
        }
        let again = SyntheticRun.outcome(plan, path: path, outputs: outputs)
        guard again.status == .failed else { return nil }
        let failing = again.blocks.flatMap(\.commands).first { $0.status != .passed }
        return Violation(kind: "advisory: updated-document-still-fails",
                         detail: "line \(failing?.line ?? 0): \(failing?.messages.joined(separator: "; ") ?? "")")
    }

    /// A diagnostic without line >= 1 and column >= 1.
    private func unlocated(_ diagnostics: Diagnostics, stage: String) -> Violation? {
        guard let bad = diagnostics.items.first(where: { $0.line < 1 || $0.column < 1 }) else { return nil }
        return Violation(kind: "unlocated-diagnostic: " + Self.gist(bad.message), detail: "\(stage): \(bad.description)")
    }

    /// A message up to its first quoted part, names generalized: failures of one cause share a kind.
    static func gist(_ message: String) -> String {
        let words = message.split(separator: " ").prefix { !$0.contains(where: { "'\"`:({$".contains($0) }) }
        // Names (`variable CONTAINER is not captured`) and numbers vary; the cause does not.
        let general = words.map { word in
            word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } ? "NAME" : String(word)
        }
        return String(general.joined(separator: " ").prefix(60))
    }

    /// Writes a case's file with plain system calls (Foundation's `createFile` syncs each one
    /// to disk, which would be most of a case's time).
    private func write(_ bytes: [UInt8], name: String) -> String {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return path }
        defer { close(fd) }
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if count <= 0 { break }
                written += count
            }
        }
        return path
    }
}
