import Foundation

/// The session of this process: its invariants and failures, made once.
nonisolated(unsafe) private var session: (failures: Failures, scratch: String, started: Date)?

/// Makes the session: the scratch folder and the failures tally.
private func startSession(_ settings: FuzzSettings) -> (failures: Failures, scratch: String, started: Date) {
    if let session { return session }
    let scratch = FuzzSettings.scratch()
    let invariants = Invariants(directory: scratch)
    let made = (Failures(folder: settings.failures, check: invariants.check), scratch, Date())
    session = made
    return made
}

/// Prints the summary and removes the scratch folder.
private func finishSession(mode: String) {
    guard let session else { return }
    let seconds = Date().timeIntervalSince(session.started)
    FileHandle.standardError.write(Data(session.failures.summary(mode: mode, seconds: seconds).utf8))
    try? FileManager.default.removeItem(atPath: session.scratch)
}

#if LIBFUZZER
/// libFuzzer calls this once before fuzzing: the CLI mode runs here and exits; otherwise the
/// summary is printed when libFuzzer exits (its time limit ends with `exit`).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let settings = FuzzSettings.fromEnvironment()
    if settings.mode == "cli" { exit(CLIMode(settings: settings).run()) }
    _ = startSession(settings)
    atexit { finishSession(mode: "libFuzzer") }
    return 0
}

/// One libFuzzer case.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let session = startSession(FuzzSettings.fromEnvironment())
    session.failures.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer: a seeded mutation fuzzer over the corpus for the time given, or the CLI mode.
@main
struct SeededFuzzer {
    static func main() {
        let settings = FuzzSettings.fromEnvironment()
        if settings.mode == "cli" { exit(CLIMode(settings: settings).run()) }
        let corpus = settings.loadCorpus()
        guard !corpus.isEmpty else {
            FileHandle.standardError.write(Data("fuzz: no documents in \(settings.corpus)\n".utf8))
            exit(2)
        }
        let session = startSession(settings)
        FileHandle.standardError.write(Data("fuzz: seed \(settings.seed), \(corpus.count) documents\n".utf8))
        for document in corpus { session.failures.run(document) }
        var mutator = Mutator(random: SplitMix(seed: settings.seed), corpus: corpus)
        let current = settings.failures + "/current.md"
        try? FileManager.default.createDirectory(atPath: settings.failures, withIntermediateDirectories: true)
        while Date().timeIntervalSince(session.started) < settings.seconds {
            let bytes = mutator.mutate()
            // The case being checked, left behind should it crash the process.
            FileManager.default.createFile(atPath: current, contents: Data(bytes))
            session.failures.run(bytes)
        }
        try? FileManager.default.removeItem(atPath: current)
        finishSession(mode: "seeded")
        exit(session.failures.counts.isEmpty ? 0 : 1)
    }
}
#endif
