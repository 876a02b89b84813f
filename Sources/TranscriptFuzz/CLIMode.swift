import Foundation

/// The second mode: `transcript run` on mutated documents, each with a time limit. Invariants:
/// the process exits by itself with 0, 1 or 2, and with 2 every `error:` it prints is located
/// (`path:line:column: error: ...`).
struct CLIMode {
    let settings: FuzzSettings
    /// The wall-clock limit of one case: a document of the corpus that starts Docker engines and
    /// nested runs takes up to a minute on a busy machine.
    static let limit: TimeInterval = 180

    func run() -> CInt {
        let corpus = settings.loadCorpus()
        guard !corpus.isEmpty else {
            FileHandle.standardError.write(Data("fuzz: no documents in \(settings.corpus)\n".utf8))
            return 2
        }
        let scratch = FuzzSettings.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let started = Date()
        // The minimizer would rerun the CLI hundreds of times: inputs are saved as they are.
        let failures = Failures(folder: settings.failures + "/cli") { bytes in check(bytes, scratch: scratch) }
        var mutator = Mutator(random: SplitMix(seed: settings.seed), corpus: corpus)
        for _ in 0..<settings.cases {
            let bytes = mutator.mutate()
            failures.record(bytes, violation: check(bytes, scratch: scratch))
        }
        let summary = failures.summary(mode: "cli", seconds: Date().timeIntervalSince(started))
        FileHandle.standardError.write(Data(summary.utf8))
        return failures.counts.isEmpty ? 0 : 1
    }

    /// Runs one document; the invariant it breaks, or nil.
    func check(_ bytes: [UInt8], scratch: String) -> Violation? {
        let path = scratch + "/case.md"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            return Violation(kind: "cannot write the case", detail: path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.binary)
        process.arguments = ["run", "-j", "1", "--timeout", "10s", "case.md"]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let begun = Date()
        do { try process.run() } catch { return Violation(kind: "cannot start", detail: "\(error)") }
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.limit, execute: killer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationReason == .uncaughtSignal, Date().timeIntervalSince(begun) >= Self.limit {
            return Violation(kind: "cli-time-limit", detail: "still running after \(Int(Self.limit)) s: " + String(text.suffix(2000)))
        }
        if process.terminationReason == .uncaughtSignal {
            return Violation(kind: "cli-signal-\(process.terminationStatus)", detail: String(text.suffix(2000)))
        }
        let status = process.terminationStatus
        guard [0, 1, 2].contains(status) else { return Violation(kind: "cli-exit-\(status)", detail: String(text.suffix(2000))) }
        guard status == 2 else { return nil }
        for line in text.split(separator: "\n") where line.contains(": error: ") && !Self.located(line) {
            return Violation(kind: "cli-unlocated-error", detail: String(line))
        }
        return nil
    }

    /// Whether a line starts `path:line:column: error:` with line and column >= 1.
    static func located(_ line: Substring) -> Bool {
        guard let range = line.range(of: ": error: ") else { return false }
        let parts = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let row = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) else { return false }
        return row >= 1 && column >= 1
    }
}
