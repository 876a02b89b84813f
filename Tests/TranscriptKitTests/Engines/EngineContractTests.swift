import Foundation
import Testing
@testable import TranscriptKit
#if canImport(Glibc)
import Glibc
#endif

/// What every engine kind must do, checked on a running instance: `leftovers` is asked, before
/// the lease stops, for a probe that lists what of it is still there afterwards.
func checkEngineContract<E: Engine>(_ engine: E, file: EngineFile,
                                    leftovers: (any EngineLease) -> () -> [String]) throws {
    // Availability: this instance says it can provide the engine.
    #expect(engine.unavailableReason(configuration: file.configuration) == nil)

    // start → a lease whose environment reaches the engine, and whose info names it.
    let lease = try engine.start(for: file)
    let probe = leftovers(lease)
    #expect(!lease.environment.isEmpty, "a lease gives its commands a way to the engine")
    #expect(lease.info.name == E.name)
    #expect(lease.info.displayName == E.displayName)
    #expect(!lease.info.serverVersion.isEmpty && !lease.info.clientVersion.isEmpty)
    #expect(lease.info.readySeconds >= 0)
    #expect(E.compareVersions(lease.info.serverVersion, lease.info.serverVersion) == 0)

    // A file that did not ask: every variable the guard sets leads elsewhere than the lease's.
    let guarding = engine.absent(for: file)
    #expect(!guarding.environment.isEmpty, "a private run keeps files that did not ask away from any engine")
    for (key, value) in guarding.environment {
        #expect(lease.environment[key] != nil, "the guard sets \(key), which the lease does not")
        #expect(lease.environment[key] != value, "the guard's \(key) is the lease's")
    }
    for (_, shown) in guarding.masks {
        #expect(!lease.masks.values.contains(shown) || shown == "/dev/null")
    }

    // stop leaves nothing, and is idempotent.
    lease.stop()
    #expect(probe() == [], "left after stop")
    lease.stop()
    #expect(probe() == [])

    // The kind's static answers.
    #expect(E.isUsed(by: "\(E.name) version"))
    #expect(!E.isUsed(by: "echo \(E.name)"))
    checkVersionOrder(E.compareVersions)
    #expect(EngineRegistry.feature(E.name) == nil || EngineRegistry.feature(E.name) == .engine(name: E.name, atLeast: nil))
}

/// Versions order numerically, part by part, missing parts counting as 0.
func checkVersionOrder(_ compare: (String, String) -> Int) {
    #expect(compare("1.2", "1.10") < 0)
    #expect(compare("20.10", "20.10.0") == 0)
    #expect(compare("21", "20.10.24") > 0)
    #expect(compare("20.10.24+dfsg1", "20.10") > 0)
    #expect(compare("20.10.24+dfsg1", "25.0") < 0)
}

/// An engine that runs nothing: a lease is a directory with a socket-like file in it.
final class FakeEngine: Engine, @unchecked Sendable {
    static let name = "fake"
    static let displayName = "Fake"
    static func parseSettings(_ section: inout ConfigurationReader) -> any Sendable {
        section.rejectUnknownKeys(allowed: ["version"])
        return section.string("version") ?? "1.0"
    }
    static func isUsed(by command: String) -> Bool { command.split(separator: " ").first == "fake" }
    static func compareVersions(_ a: String, _ b: String) -> Int { TranscriptKit.compareVersions(a, b) }

    let mode: EngineMode
    var unavailable: String?
    var failStart = false
    var setupCommand: String?
    var version = "2.5.1"
    /// Whether its leases cover /run/fake.sock (a shell cannot mount over a path that is not there).
    var masksSocket = true
    private(set) var finished = false
    private(set) var stoppedAll = false

    init(mode: EngineMode, environment: [String: String]) { self.mode = mode }

    func unavailableReason(configuration: Configuration) -> String? { unavailable }

    func start(for file: EngineFile) throws -> any EngineLease {
        if failStart { throw ExecutionError("no fake today") }
        let directory = file.directory + "/fake-engine"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/fake.sock", contents: nil)
        let lease = FakeLease(directory: directory, version: version, setup: setupCommand.map { EngineSetup(command: $0, name: "fake-setup") })
        lease.masksSocket = masksSocket
        return lease
    }

    func absent(for file: EngineFile) -> EngineGuard {
        EngineGuard(environment: ["FAKE_HOST": "unix://\(file.directory)/.no-fake-engine.sock"])
    }

    func finish() { finished = true }
    func stopAll() { stoppedAll = true }
}

final class FakeLease: EngineLease, @unchecked Sendable {
    let directory: String
    let info: EngineInfo
    let setup: EngineSetup?
    var environment: [String: String] { ["FAKE_HOST": "unix://\(directory)/fake.sock"] }
    var masksSocket = true
    var masks: [String: String] { masksSocket ? ["/run/fake.sock": directory + "/fake.sock"] : [:] }

    init(directory: String, version: String, setup: EngineSetup?) {
        self.directory = directory
        self.setup = setup
        info = EngineInfo(name: FakeEngine.name, displayName: FakeEngine.displayName, kind: "private",
                          serverVersion: version, clientVersion: version, readySeconds: 0)
    }

    func stop() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A temporary directory and an `EngineFile` in it.
func engineFile(text: String = "", configuration: Configuration = Configuration()) throws -> EngineFile {
    let directory = "/tmp/engine-contract-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return EngineFile(path: "t.md", text: text, directory: directory, environment: ["PATH": "/usr/bin:/bin"],
                      configuration: configuration)
}

@Suite("Engine contract: a fake engine")
struct FakeEngineContractTests {
    @Test func fakeKeepsTheContract() throws {
        let file = try engineFile()
        defer { removeTree(file.directory) }
        try checkEngineContract(FakeEngine(mode: .private, environment: [:]), file: file) { lease in
            let directory = (lease as? FakeLease)?.directory ?? ""
            return { FileManager.default.fileExists(atPath: directory) ? [directory] : [] }
        }
    }

    @Test func provideStartsWhatIsNeededAndGuardsTheRest() throws {
        let file = try engineFile()
        defer { removeTree(file.directory) }
        let set = EngineSet(engines: [FakeEngine(mode: .private, environment: [:])])
        let guarded = try set.provide(needed: [], for: file).get()
        #expect(guarded.environment == ["FAKE_HOST": "unix://\(file.directory)/.no-fake-engine.sock"])
        #expect(guarded.info == nil && guarded.leases.isEmpty)
        let provided = try set.provide(needed: ["fake"], for: file).get()
        #expect(provided.environment["FAKE_HOST"] == "unix://\(file.directory)/fake-engine/fake.sock")
        #expect(provided.masks == ["/run/fake.sock": file.directory + "/fake-engine/fake.sock"])
        #expect(provided.info?.serverVersion == "2.5.1")
        provided.stop()
        #expect(!FileManager.default.fileExists(atPath: file.directory + "/fake-engine"))
    }

    @Test func aFailedStartNamesTheEngine() throws {
        let file = try engineFile()
        defer { removeTree(file.directory) }
        let fake = FakeEngine(mode: .private, environment: [:])
        fake.failStart = true
        let result = EngineSet(engines: [fake]).provide(needed: ["fake"], for: file)
        guard case .failure(let failure) = result else { Issue.record("started"); return }
        #expect(failure.message == "the Fake engine could not be started: no fake today")
    }

    @Test func versionSkipsNameTheFeatureAndTheServer() throws {
        let file = try engineFile()
        defer { removeTree(file.directory) }
        let provided = try EngineSet(engines: [FakeEngine(mode: .private, environment: [:])]).provide(needed: ["fake"], for: file).get()
        defer { provided.stop() }
        #expect(provided.versionSkip([.engine(name: "fake", atLeast: "2.5")]) == nil)
        #expect(provided.versionSkip([.engine(name: "fake", atLeast: "3")]) == "requires fake>=3: the engine is 2.5.1")
        #expect(provided.versionSkip([.engine(name: "other", atLeast: "99")]) == nil)
        #expect(provided.versionSkip([.root, .engine(name: "fake", atLeast: nil)]) == nil)
        #expect(provided.versionSkip(nil) == nil)
    }

    @Test func setupsRunInOrderAndTheFirstFailureIsReported() throws {
        let file = try engineFile()
        defer { removeTree(file.directory) }
        let fake = FakeEngine(mode: .private, environment: [:])
        fake.setupCommand = "prepare"
        let provided = try EngineSet(engines: [fake]).provide(needed: ["fake"], for: file).get()
        defer { provided.stop() }
        var ran: [String] = []
        #expect(provided.setupFailure { command, _ in
            ran.append(command)
            return CommandResult(output: [], cutBytes: 0, exitStatus: 0, timedOut: false, shellEnded: false, duration: .zero)
        } == nil)
        #expect(ran == ["prepare"])
        let failure = provided.setupFailure { _, _ in CommandResult(output: Array("broken\n".utf8), cutBytes: 0, exitStatus: 3, timedOut: false, shellEnded: false, duration: .zero) }
        #expect(failure == "the setup script fake-setup failed with status 3:\nbroken\n")
    }

    @Test func anEngineMissingFromTheRunIsUnavailable() {
        let set = EngineSet(engines: [])
        #expect(set.unavailableReason("docker", configuration: Configuration()) == "this run provides no docker engine")
        let fake = FakeEngine(mode: .private, environment: [:])
        fake.unavailable = "not today"
        #expect(EngineSet(engines: [fake]).unavailableReason("fake", configuration: Configuration()) == "not today")
    }

    @Test func finishAndStopAllReachEveryEngine() {
        let fake = FakeEngine(mode: .private, environment: [:])
        let set = EngineSet(engines: [fake])
        set.finish()
        set.stopAll()
        #expect(fake.finished && fake.stoppedAll)
    }
}

@Suite("Engine registry and requires=")
struct EngineRegistryTests {
    @Test func requiresNamesRegisteredEngines() {
        #expect(EngineRegistry.names == ["docker", "podman"])
        #expect(EngineRegistry.feature("docker") == .engine(name: "docker", atLeast: nil))
        #expect(EngineRegistry.feature("docker>=20.10") == .engine(name: "docker", atLeast: "20.10"))
        #expect(EngineRegistry.feature("docker>=") == nil)
        #expect(EngineRegistry.feature("podman") == .engine(name: "podman", atLeast: nil))
        #expect(EngineRegistry.feature("podman>=4") == .engine(name: "podman", atLeast: "4"))
        #expect(EngineRegistry.feature("nerdctl") == nil)
        #expect(Feature.engine(name: "docker", atLeast: "20.10").description == "docker>=20.10")
        #expect(Feature.engine(name: "docker", atLeast: nil).engineName == "docker")
        #expect(Feature.root.engineName == nil)
        #expect(Options.featureHint == "features are docker, docker>=VERSION, podman, podman>=VERSION, linux, root, network and cmd:NAME")
    }

    @Test func recordAsksEveryEngine() {
        #expect(Recorder.enginesUsed(by: ["ls", "sudo docker ps"]) == ["docker"])
        #expect(Recorder.enginesUsed(by: ["ls", "echo docker"]) == [])
        #expect(Recorder.enginesUsed(by: ["podman images", "x=$(docker ps -q)"]) == ["docker", "podman"])
    }
}

private let dockerAvailable = geteuid() == 0 && DockerEngine.availability().available

@Suite("Engine contract: Docker", .enabled(if: dockerAvailable, "needs root, dockerd, unshare and docker on PATH"), .serialized)
struct DockerEngineContractTests {
    @Test func dockerKeepsTheContract() throws {
        var configuration = Configuration()
        configuration.docker.runtimeRoot = "/tmp/transcript-engines-test"
        let file = try engineFile(text: "docker ps", configuration: configuration)
        defer { removeTree(file.directory) }
        let kind = DockerEngineKind(mode: .private, environment: ProcessInfo.processInfo.environment)
        defer { kind.finish() }
        try checkEngineContract(kind, file: file) { lease in
            let directory = (lease as? DockerPrivateLease)?.engine.runtimeDirectory ?? "/nonexistent-runtime"
            return {
                var left = DockerEngineProcess.processes(mentioning: directory + "/").map { "process \($0)" }
                if FileManager.default.fileExists(atPath: directory) { left.append(directory) }
                return left + DockerEngineProcess.mounts(under: directory)
            }
        }
    }

    @Test func aFileWithoutTheEngineReachesNone() throws {
        let file = try engineFile(text: "docker ps")
        defer { removeTree(file.directory) }
        let guarding = DockerEngineKind(mode: .private, environment: [:]).absent(for: file)
        #expect(guarding.environment == ["DOCKER_HOST": "unix://\(file.directory)/.no-docker-engine.sock"])
        #expect(Set(guarding.masks.values).isSubset(of: ["/dev/null"]))
    }
}

@Suite("Docker engine guard")
struct DockerEngineGuardTests {
    @Test func hostModeKeepsTheUsersDockerHost() throws {
        var file = try engineFile(text: "no engine named here")
        defer { removeTree(file.directory) }
        file.environment["DOCKER_HOST"] = "tcp://example:2375"
        #expect(DockerEngineKind(mode: .host, environment: [:]).absent(for: file) == EngineGuard())
        file.environment["DOCKER_HOST"] = nil
        #expect(DockerEngineKind(mode: .host, environment: [:]).absent(for: file).environment
                == ["DOCKER_HOST": "unix://\(file.directory)/.no-docker-engine.sock"])
        #expect(DockerEngineKind(mode: .private, environment: [:]).absent(for: file).masks == [:])
    }
}
