import Foundation
import Testing
@testable import TranscriptKit

/// A second fake kind that also serves `fake` (as Podman serves `docker`): its lease sets
/// FAKE_HOST to its own socket.
final class WideFakeEngine: Engine, @unchecked Sendable {
    static let name = "widefake"
    static let displayName = "Wide fake"
    static let serves = ["widefake", "fake"]
    static func parseSettings(_ section: inout ConfigurationReader) -> any Sendable { "" }
    static func isUsed(by command: String) -> Bool { false }
    static func compareVersions(_ a: String, _ b: String) -> Int { TranscriptKit.compareVersions(a, b) }

    init(mode: EngineMode, environment: [String: String]) {}

    func unavailableReason(configuration: Configuration) -> String? { nil }

    func start(for file: EngineFile) throws -> any EngineLease {
        WideFakeLease(socket: file.directory + "/wide.sock")
    }

    func absent(for file: EngineFile) -> EngineGuard { EngineGuard(environment: ["WIDE_HOST": "nowhere"]) }
    func finish() {}
    func stopAll() {}
}

final class WideFakeLease: EngineLease, @unchecked Sendable {
    let socket: String
    init(socket: String) { self.socket = socket }
    var environment: [String: String] { ["FAKE_HOST": "unix://" + socket, "WIDE_HOST": "unix://" + socket] }
    var masks: [String: String] { [:] }
    var setup: EngineSetup? { nil }
    var info: EngineInfo {
        EngineInfo(name: WideFakeEngine.name, displayName: WideFakeEngine.displayName, kind: "private",
                   serverVersion: "1.0", clientVersion: "1.0", readySeconds: 0)
    }
    func stop() {}
}

@Suite("Engine matrix")
struct EngineMatrixTests {
    static let set = EngineSet(engines: [FakeEngine(mode: .private, environment: [:]), WideFakeEngine(mode: .private, environment: [:])])

    static func runner(matrix: [String]?) -> FileRunner {
        var settings = RunSettings()
        settings.engines = matrix
        settings.environment = ["PATH": "/usr/bin:/bin"]
        return FileRunner(settings: settings, configurations: ConfigurationResolver(), engines: set, observer: nil)
    }

    /// A plan of `text` whose blocks require what `requires` says, block by block (fake
    /// names are no `requires=` word, so they are set on the compiled plan).
    static func plan(_ text: String, requires: [[Feature]?], diverges: [[String: String]?] = []) throws -> FilePlan {
        var plan = try runner(matrix: nil).prepare(source: SourceFile(path: "m.md", absolutePath: "/nonexistent/m.md", text: text)).get()
        for (index, features) in requires.enumerated() { plan.options[index].requires = features }
        for (index, reasons) in diverges.enumerated() { plan.options[index].engineDiverges = reasons }
        return plan
    }

    @Test func theDefaultEngineIsOneThatServesEveryRequirement() {
        #expect(Self.set.defaultEngines(serving: ["fake"]).map(\.name) == ["fake"])
        #expect(Self.set.defaultEngines(serving: ["widefake"]).map(\.name) == ["widefake"])
        #expect(Self.set.defaultEngines(serving: ["fake", "widefake"]).map(\.name) == ["widefake"])
        #expect(Self.set.defaultEngines(serving: []).isEmpty)
    }

    @Test func aFileRunsOncePerMatrixEngineThatServesIt() throws {
        let runner = Self.runner(matrix: ["fake", "widefake"])
        let needsFake = try Self.plan("```console\n$ echo a\na\n```\n", requires: [[.engine(name: "fake", atLeast: nil)]])
        #expect(runner.jobs(for: "m.md", prepared: .success(needsFake)).map(\.engine) == ["fake", "widefake"])
        let needsWide = try Self.plan("```console\n$ echo a\na\n```\n", requires: [[.engine(name: "widefake", atLeast: nil)]])
        #expect(runner.jobs(for: "m.md", prepared: .success(needsWide)).map(\.engine) == ["widefake"])
        let plain = try Self.plan("```console\n$ echo a\na\n```\n", requires: [])
        #expect(runner.jobs(for: "m.md", prepared: .success(plain)).map(\.engine) == [nil])
        let bad = Diagnostics([Diagnostic(file: "m.md", line: 1, column: 1, message: "bad")])
        #expect(runner.jobs(for: "m.md", prepared: .failure(bad)).map(\.engine) == [nil])
        // Without a matrix every file runs once, whatever it needs.
        #expect(Self.runner(matrix: nil).jobs(for: "m.md", prepared: .success(needsFake)).map(\.engine) == [nil])
    }

    @Test func aRequirementNoMatrixEngineServesSkipsWithTheReason() throws {
        let needsWide = try Self.plan("```console\n$ echo a\na\n```\n", requires: [[.engine(name: "widefake", atLeast: nil)]])
        let runner = Self.runner(matrix: ["fake"])
        let jobs = runner.jobs(for: "m.md", prepared: .success(needsWide))
        #expect(jobs.map(\.engine) == [nil])
        let outcome = runner.execute(needsWide, path: "m.md", engine: nil)
        #expect(outcome.status == .skipped(reason: "requires widefake: none of this run's engines (fake) serves it"))
        #expect(Self.set.unavailableReason("widefake", on: "fake", configuration: Configuration())
                == "the Fake engine does not serve it")
    }

    @Test func theServingEnginesLeaseWinsOverTheOthersGuards() throws {
        let file = try engineFile()
        defer { removeTree(file.directory) }
        let provided = try Self.set.provide(needed: ["fake"], on: "widefake", for: file).get()
        defer { provided.stop() }
        #expect(provided.leases.map { $0.kind.name } == ["widefake"])
        #expect(provided.environment["FAKE_HOST"] == "unix://\(file.directory)/wide.sock")
        #expect(provided.info?.name == "widefake")
    }

    @Test func eachEngineHasItsOwnDivergenceAndVersionGate() throws {
        let text = "```console\n$ echo actual\ndocumented\n```\n\n```console\n$ echo $FAKE_HOST | sed 's/.*\\///'\nwide.sock\n```\n"
        let fakeNeeds: [Feature] = [.engine(name: "fake", atLeast: nil)]
        let plan = try Self.plan(text, requires: [fakeNeeds, [.engine(name: "fake", atLeast: "99")]],
                                 diverges: [["widefake": "the wide fake prints what it does"]])
        let runner = Self.runner(matrix: ["fake", "widefake"])
        let onWide = runner.execute(plan, path: "m.md", engine: "widefake")
        #expect(onWide.blocks.map(\.status) == [.diverged(reason: "the wide fake prints what it does"), .passed])
        #expect(onWide.status == .passed)
        let onFake = runner.execute(plan, path: "m.md", engine: "fake")
        #expect(onFake.blocks.map(\.status) == [.failed, .skipped(reason: "requires fake>=99: the engine is 2.5.1")])
    }

    @Test func matrixListsParseAndNameTheKnownEngines() throws {
        #expect(try EngineMatrix.parse("docker").get() == ["docker"])
        #expect(try EngineMatrix.parse("docker,docker").get() == ["docker"])
        guard case .failure(let unknown) = EngineMatrix.parse("docker,dokker") else { Issue.record("accepted"); return }
        #expect(unknown.message == "unknown engine 'dokker': the engines are " + EngineRegistry.names.joined(separator: ", "))
        guard case .failure(let empty) = EngineMatrix.parse("docker,") else { Issue.record("accepted"); return }
        #expect(empty.message == "an empty engine name in --engines 'docker,'; separate names with commas")
    }

    @Test func aConfigurationNamesItsEnginesWhereTheyAreWritten() {
        #expect((try? Configuration.parse("engines = [\"docker\"]\n", path: "t.toml"))?.engines == ["docker"])
        do {
            _ = try Configuration.parse("timeout = \"5s\"\nengines = [\"docker\", \"dokker\"]\n", path: "t.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.items.map(\.location) == ["t.toml:2:23"])
            #expect(error.items.first?.message.hasPrefix("unknown engine 'dokker'") == true)
        }
    }

    @Test func divergesNamesAnEngine() throws {
        let options = try Options.parse("diverges=\"all\" diverges.docker=\"on docker\"", file: "t.md", line: 3, column: 5)
        #expect(options.divergence(on: "docker") == "on docker")
        #expect(options.divergence(on: nil) == "all")
        #expect(options.divergence(on: "other") == "all")
        #expect(options.summary == "diverges=\"all\" diverges.docker=\"on docker\"")
        let block = try Options.parse("diverges.docker=\"block\"", file: "t.md", line: 1, column: 1)
        #expect(block.merged(over: options).divergence(on: "docker") == "block")
        #expect(throws: Diagnostic.self) { try Options.parse("ws diverges.dokker=\"x\"", file: "t.md", line: 3, column: 5) }
        do {
            _ = try Options.parse("ws diverges.dokker=\"x\"", file: "t.md", line: 3, column: 5)
        } catch {
            #expect(error.location == "t.md:3:8")
            #expect(error.message == "unknown engine 'dokker' in diverges.dokker=")
        }
    }
}
