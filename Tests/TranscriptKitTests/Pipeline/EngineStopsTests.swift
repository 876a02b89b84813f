import Foundation
import Testing
@testable import TranscriptKit

/// A kind whose leases take `delay` to stop, and count their stops.
final class SlowStopEngine: StandInEngine, @unchecked Sendable {
    static let name = "slowstop"
    static let displayName = "Slow stop"

    let delay: Duration = .milliseconds(400)
    private let lock = NSLock()
    private var count = 0
    /// How many leases have finished stopping.
    var stopped: Int { lock.withLock { count } }

    init(mode: EngineMode, environment: [String: String]) {}

    func unavailableReason(configuration: Configuration) -> String? { nil }
    func start(for file: EngineFile) throws -> any EngineLease { SlowStopLease(engine: self) }
    func absent(for file: EngineFile) -> EngineGuard { EngineGuard() }
    func finish() {}
    func stopAll() {}

    fileprivate func stoppedOne() { lock.withLock { count += 1 } }
}

final class SlowStopLease: EngineLease, @unchecked Sendable {
    let engine: SlowStopEngine
    init(engine: SlowStopEngine) { self.engine = engine }
    var environment: [String: String] { ["SLOW_HOST": "here"] }
    var masks: [String: String] { [:] }
    var setup: EngineSetup? { nil }
    var info: EngineInfo {
        EngineInfo(name: SlowStopEngine.name, displayName: SlowStopEngine.displayName, kind: "private",
                   serverVersion: "1.0", clientVersion: "1.0", readySeconds: 0)
    }
    func stop() {
        Thread.sleep(forTimeInterval: engine.delay.seconds)
        engine.stoppedOne()
    }
}

@Suite("Engines stopped off the files' path")
struct EngineStopsTests {
    static func jobs(_ runner: FileRunner, count: Int) throws -> [FileJob] {
        var plan = try runner.prepare(source: SourceFile(path: "s.md", absolutePath: "/nonexistent/s.md",
                                                         text: "```console\n$ echo a\na\n```\n")).get()
        plan.options[0].requires = [.engine(name: SlowStopEngine.name, atLeast: nil)]
        return (0..<count).map { index in
            var job = FileJob(path: "s\(index).md")
            job.prepared = .success(plan)
            return job
        }
    }

    static func runner(_ engine: SlowStopEngine) -> FileRunner {
        var settings = RunSettings()
        settings.environment = ["PATH": "/usr/bin:/bin"]
        return FileRunner(settings: settings, configurations: ConfigurationResolver(),
                          engines: EngineSet(engines: [engine], mode: .host), observer: nil)
    }

    @Test func noFileWaitsForItsEngineToStopButTheRunWaitsForAll() throws {
        let engine = SlowStopEngine(mode: .private, environment: [:])
        let fileRunner = Self.runner(engine)
        let outcomes = Runner(fileRunner: fileRunner, jobs: 1).run(jobs: try Self.jobs(fileRunner, count: 3)) { outcome in
            // Delivered while the engines may still be stopping.
            #expect(outcome.status == .passed)
        }
        #expect(engine.stopped == 3, "the run returned before every engine was stopped")
        for outcome in outcomes {
            let waited = try #require(outcome.engine).stopSeconds
            #expect(waited < engine.delay.seconds / 2, "a file waited \(waited)s for its engine's stop")
        }
    }

    @Test func aFileRunAloneStopsItsEngineBeforeItReturns() throws {
        let engine = SlowStopEngine(mode: .private, environment: [:])
        let fileRunner = Self.runner(engine)
        let outcome = fileRunner.run(try Self.jobs(fileRunner, count: 1)[0])
        #expect(engine.stopped == 1)
        #expect(try #require(outcome.engine).stopSeconds >= engine.delay.seconds)
    }
}
