import Foundation
import PCRE2
import Testing
@testable import TranscriptKit

/// A kind whose leases take `startDelay` to start; it counts the leases alive (started, not yet
/// stopped), the most alive at once, and every lease it started.
final class CountingEngine: StandInEngine, @unchecked Sendable {
    static let name = "counting"
    static let displayName = "Counting"

    var startDelay: Duration = .milliseconds(300)
    private let lock = NSLock()
    private var alive = 0
    private var counts = (started: 0, stopped: 0, most: 0)
    /// The files each lease was started for, in the order they started.
    private var files: [String] = []

    init(mode: EngineMode, environment: [String: String]) {}

    var started: Int { lock.withLock { counts.started } }
    var stopped: Int { lock.withLock { counts.stopped } }
    var mostAlive: Int { lock.withLock { counts.most } }
    var startedFor: [String] { lock.withLock { files } }

    func unavailableReason(configuration: Configuration) -> String? { nil }
    func start(for file: EngineFile) throws -> any EngineLease {
        Thread.sleep(forTimeInterval: startDelay.seconds)
        lock.withLock {
            alive += 1
            counts.started += 1
            counts.most = max(counts.most, alive)
            files.append(file.path)
        }
        return CountingLease(engine: self, directory: file.directory)
    }
    func absent(for file: EngineFile) -> EngineGuard { EngineGuard() }
    func finish() {}
    func stopAll() {}

    fileprivate func stoppedOne() {
        lock.withLock {
            alive -= 1
            counts.stopped += 1
        }
    }
}

final class CountingLease: EngineLease, @unchecked Sendable {
    let engine: CountingEngine
    /// The directory of the file it serves: the file's commands see it as COUNTING_FILE_DIR.
    let directory: String
    private let lock = NSLock()
    private var done = false
    init(engine: CountingEngine, directory: String) {
        self.engine = engine
        self.directory = directory
    }
    var environment: [String: String] { ["COUNTING_FILE_DIR": directory] }
    var masks: [String: String] { [:] }
    var setup: EngineSetup? { nil }
    var info: EngineInfo {
        EngineInfo(name: CountingEngine.name, displayName: CountingEngine.displayName, kind: "private",
                   serverVersion: "1.0", clientVersion: "1.0", readySeconds: engine.startDelay.seconds)
    }
    func stop() {
        let first = lock.withLock {
            defer { done = true }
            return !done
        }
        if first { engine.stoppedOne() }
    }
}

@Suite("The engines of the next files started ahead")
struct EnginePoolTests {
    /// Jobs running `body` (commands and output) in one block that requires the counting engine.
    static func jobs(_ runner: FileRunner, bodies: [String]) throws -> [FileJob] {
        try bodies.enumerated().map { index, body in
            var plan = try runner.prepare(source: SourceFile(path: "p\(index).md", absolutePath: "/nonexistent/p\(index).md",
                                                             text: "```console\n" + body + "```\n")).get()
            plan.options[0].requires = [.engine(name: CountingEngine.name, atLeast: nil)]
            var job = FileJob(path: "p\(index).md")
            job.prepared = .success(plan)
            return job
        }
    }

    static func runner(_ engine: CountingEngine, filter: String? = nil, temporary: String? = nil) throws -> FileRunner {
        var settings = RunSettings()
        settings.environment = ["PATH": "/usr/bin:/bin"]
        if let temporary { settings.environment["TMPDIR"] = temporary }
        settings.filter = try filter.map { try Regex($0) }
        return FileRunner(settings: settings, configurations: ConfigurationResolver(),
                          engines: EngineSet(engines: [engine], mode: .host), observer: nil)
    }

    @Test func aFileFindsItsEngineStartedWhileTheFileBeforeItRan() throws {
        let engine = CountingEngine(mode: .private, environment: [:])
        let fileRunner = try Self.runner(engine)
        let jobs = try Self.jobs(fileRunner, bodies: Array(repeating: "$ sleep 0.5\n", count: 3))
        let outcomes = Runner(fileRunner: fileRunner, jobs: 1).run(jobs: jobs) { _ in }
        #expect(outcomes.map(\.status) == [.passed, .passed, .passed])
        let waits = try outcomes.map { try #require($0.engine).waitSeconds }
        #expect(waits[0] >= engine.startDelay.seconds * 0.9, "the first file's engine cannot be ahead: \(waits)")
        for wait in waits.dropFirst() {
            #expect(wait < engine.startDelay.seconds / 2, "a later file waited for its engine's whole start: \(waits)")
        }
        #expect(engine.stopped == 3)
    }

    @Test(arguments: [1, 2, 3])
    func neverMoreThanTheJobsPlusOneEnginesAndEveryFileItsOwn(jobs: Int) throws {
        let engine = CountingEngine(mode: .private, environment: [:])
        engine.startDelay = .milliseconds(50)
        let fileRunner = try Self.runner(engine)
        // Each file's directory is its own: a lease made for another file would show another one.
        let body = "$ [ \"$COUNTING_FILE_DIR\" = \"$TMPDIR\" ] && echo own\nown\n"
        let files = try Self.jobs(fileRunner, bodies: Array(repeating: body, count: 8))
        let outcomes = Runner(fileRunner: fileRunner, jobs: jobs).run(jobs: files) { _ in }
        #expect(outcomes.allSatisfy { $0.status == .passed })
        #expect(engine.started == 8)
        #expect(Set(engine.startedFor).count == 8, "a file got no engine of its own: \(engine.startedFor)")
        #expect(engine.mostAlive <= jobs + 1, "\(engine.mostAlive) engines at once with --jobs \(jobs)")
        #expect(engine.stopped == 8, "the run returned with engines still running")
    }

    @Test func aRunThatStopsEarlyStopsTheEnginesStartedAheadAndRemovesTheirDirectories() throws {
        let engine = CountingEngine(mode: .private, environment: [:])
        engine.startDelay = .milliseconds(50)
        let directories = FileManager.default.temporaryDirectory.path + "/pool-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directories, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directories) }
        let runner = try Self.runner(engine, temporary: directories)
        let bodies = ["$ sleep 0.3\n$ echo a\nb\n"] + Array(repeating: "$ true\n", count: 4)
        let outcomes = Runner(fileRunner: runner, jobs: 1, failFast: true).run(jobs: try Self.jobs(runner, bodies: bodies)) { _ in }
        #expect(outcomes.count == 1 && outcomes[0].status == .failed)
        #expect(engine.started == 2, "the next file's engine was not started ahead, or more were")
        #expect(engine.stopped == engine.started, "an engine started ahead was left running")
        let left = try FileManager.default.contentsOfDirectory(atPath: directories)
        #expect(left.isEmpty, "directories left: \(left)")
    }

    @Test func noEngineStartsForAFileWhoseEngineBlocksAreNotSelected() throws {
        let engine = CountingEngine(mode: .private, environment: [:])
        let fileRunner = try Self.runner(engine, filter: "nothing matches this")
        let outcomes = Runner(fileRunner: fileRunner, jobs: 2).run(jobs: try Self.jobs(fileRunner, bodies: ["$ true\n", "$ true\n"])) { _ in }
        #expect(outcomes.allSatisfy { if case .skipped = $0.status { true } else { false } })
        #expect(engine.started == 0)
    }
}
