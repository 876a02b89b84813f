import Foundation
import Testing
@testable import TranscriptKit

/// A second fake kind that also serves `fake` (as Podman serves `docker`): its lease sets
/// FAKE_HOST to its own socket.
final class WideFakeEngine: StandInEngine, @unchecked Sendable {
    static let name = "widefake"
    static let displayName = "Wide fake"
    static let serves = ["widefake", "fake"]

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
    static let set: EngineSet = {
        let fake = FakeEngine(mode: .private, environment: [:])
        fake.masksSocket = false
        return EngineSet(engines: [fake, WideFakeEngine(mode: .private, environment: [:])])
    }()

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

    @Test func eachRequirementGetsItsOwnKindByDefault() {
        #expect(Self.set.defaultEngines(serving: ["fake"]).map(\.name) == ["fake"])
        #expect(Self.set.defaultEngines(serving: ["widefake"]).map(\.name) == ["widefake"])
        #expect(Self.set.defaultEngines(serving: ["fake", "widefake"]).map(\.name) == ["fake", "widefake"])
        #expect(Self.set.defaultEngines(serving: []).isEmpty)
        // A name no kind has as its own goes to the first kind that serves it.
        let wideOnly = EngineSet(engines: [WideFakeEngine(mode: .private, environment: [:])])
        #expect(wideOnly.defaultEngines(serving: ["fake"]).map(\.name) == ["widefake"])
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

    /// The two runs of one file: on `fake` it fails, on `widefake` it diverges as documented.
    static func twoRuns() throws -> [FileOutcome] {
        let text = "# Claims\n\n```console\n$ echo actual\ndocumented\n```\n"
        let plan = try Self.plan(text, requires: [[.engine(name: "fake", atLeast: nil)]], diverges: [["widefake": "wide differs"]])
        let runner = Self.runner(matrix: ["fake", "widefake"])
        return ["fake", "widefake"].map { engine in
            var outcome = runner.execute(plan, path: "m.md", engine: engine)
            outcome.matrixEngine = engine
            return outcome
        }
    }

    /// What the report of `format` writes for `outcomes`.
    static func render(_ format: ReportFormat, _ outcomes: [FileOutcome]) throws -> String {
        let path = NSTemporaryDirectory() + "matrix-report-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = format.makeReport(ReportContext(sink: ReportSink(path: path), settings: RunSettings()))
        for outcome in outcomes { report.add(outcome) }
        report.finish(Summary(outcomes))
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func everyReportKeysOutcomesByFileAndEngine() throws {
        let runs = try Self.twoRuns()
        let junit = try Self.render(.junit, runs)
        #expect(junit.contains("<testsuite name=\"m.md [fake]\" tests=\"1\" failures=\"1\""))
        #expect(junit.contains("<testsuite name=\"m.md [widefake]\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""))
        let tap = try Self.render(.tap, runs)
        #expect(tap.contains("not ok 1 - m.md:3 Claims [fake]\n"))
        #expect(tap.contains("not ok 2 - m.md:3 Claims [widefake] # TODO known divergence: wide differs\n"))
        let json = try Self.render(.json, runs).split(separator: "\n")
        #expect(json.filter { $0.contains("\"matrix_engine\":\"widefake\"") }.count == 4)
        #expect(json.last?.contains("\"failed\":1,\"invalid\":0,\"passed\":1") == true)
        let github = try Self.render(.github, runs)
        #expect(github.contains("title=[widefake] known divergence%3A wide differs::"))
    }

    @Test func theConformanceReportShowsEachEngineBesideTheDocumentedText() throws {
        let markdown = try Self.render(.markdown, try Self.twoRuns())
        #expect(markdown.contains("| verdict | fake | widefake |\n| --- | --- | --- |\n| conforms | 0 | 0 |\n| diverges | 0 | 1 |\n| fails | 1 | 0 |\n"))
        #expect(markdown.contains("| line | section | fake | widefake |\n| --- | --- | --- | --- |\n| 3 | Claims | fails | diverges: wide differs |\n"))
        #expect(markdown.contains("| documented | fake | widefake |\n| --- | --- | --- |\n| `documented` | **`actual`** | **`actual`** |\n"))
        let html = try Self.render(.html, try Self.twoRuns())
        #expect(html.contains("<tr><th></th><th>documented</th><th>fake</th><th>widefake</th></tr>\n<tr><td class=\"ln\">"))
        #expect(html.contains("m.md#L5\">5</a></td><td>documented</td><td class=\"diff\">actual</td><td class=\"diff\">actual</td></tr>"))
        #expect(html.contains("<th colspan=\"4\" class=\"engine\">fake</th><th colspan=\"4\" class=\"engine\">widefake</th>"))
        #expect(html.contains("<span class=\"badge diverges\">widefake: diverges</span> <span class=\"note\">wide differs</span>"))
    }
}
