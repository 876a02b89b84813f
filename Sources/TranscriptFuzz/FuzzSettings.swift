import Foundation

/// What a fuzzing session is told, through the environment (libFuzzer owns the command line):
/// `TRANSCRIPT_FUZZ_CORPUS` (a folder of documents), `TRANSCRIPT_FUZZ_FAILURES` (where minimized
/// failing inputs go), `TRANSCRIPT_FUZZ_SECONDS`, `TRANSCRIPT_FUZZ_SEED`, and for the second mode
/// `TRANSCRIPT_FUZZ_MODE=cli` with `TRANSCRIPT_FUZZ_BINARY` (the `transcript` executable) and
/// `TRANSCRIPT_FUZZ_CASES`.
struct FuzzSettings {
    var corpus: String
    var failures: String
    var seconds: Double
    var seed: UInt64
    var mode: String
    var binary: String
    var cases: Int

    static func fromEnvironment() -> FuzzSettings {
        let environment = ProcessInfo.processInfo.environment
        return FuzzSettings(corpus: environment["TRANSCRIPT_FUZZ_CORPUS"] ?? ".build/fuzz-corpus",
                            failures: environment["TRANSCRIPT_FUZZ_FAILURES"] ?? ".build/fuzz-failures",
                            seconds: environment["TRANSCRIPT_FUZZ_SECONDS"].flatMap(Double.init) ?? 60,
                            seed: environment["TRANSCRIPT_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64(time(nil)),
                            mode: environment["TRANSCRIPT_FUZZ_MODE"] ?? "in-process",
                            binary: environment["TRANSCRIPT_FUZZ_BINARY"] ?? ".build/debug/transcript",
                            cases: environment["TRANSCRIPT_FUZZ_CASES"].flatMap(Int.init) ?? 20)
    }

    /// The documents of the corpus folder (each one at most 64 KiB).
    func loadCorpus() -> [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: corpus + "/" + name).map { Array($0.prefix(64 << 10)) }
        }
    }

    /// A private scratch folder for the files each case is written to.
    static func scratch() -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let path = base + "/transcript-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
