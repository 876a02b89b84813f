import Foundation
import Testing
@testable import TranscriptKit
#if canImport(Glibc)
import Glibc
#endif

private let engineAvailable = DockerEngine.availability().available
private let runtimeRoot = "/tmp/transcript-engines-test"

/// The run's fixture cache: built once for all tests.
private let sharedFixtures: Result<DockerFixtures, DockerEngineError> = {
    do throws(DockerEngineError) {
        let began = ContinuousClock.now
        let fixtures = try DockerFixtures.busyboxImages(cacheDirectory: runtimeRoot + "/cache-\(getpid())")
        print("fixture archive built in \(ContinuousClock.now - began)")
        // The archive is held in memory from here on; the file is not needed.
        try? FileManager.default.removeItem(atPath: runtimeRoot + "/cache-\(getpid())")
        return .success(fixtures)
    } catch {
        return .failure(error)
    }
}()

private func imageTags(_ engine: DockerEngine) throws -> [String] {
    let response = try DockerSocketHTTP.request(socket: engine.socketPath, method: "GET", target: "/images/json", timeout: .seconds(5))
    let images = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
    return images.flatMap { ($0["RepoTags"] as? [String]) ?? [] }.sorted()
}

/// Runs the docker client against `engine`; returns its merged output and exit status.
private func docker(_ arguments: [String], engine: DockerEngine) throws -> (output: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(DockerEngineProcess.which("docker")))
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(engine.environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

private func processesMentioning(_ directory: String) -> [pid_t] {
    DockerEngineProcess.processes(mentioning: directory + "/")
}

@Suite("DockerEngine: fixture archive")
struct DockerEngineFixtureTests {
    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func archiveIsDeterministic() throws {
        let busybox = Array(repeating: UInt8(7), count: 3000)
        let first = try BusyboxImageArchive.archive(busybox: busybox, architecture: "amd64")
        let second = try BusyboxImageArchive.archive(busybox: busybox, architecture: "amd64")
        #expect(first == second)
        #expect(first.count % 512 == 0)
        #expect(try BusyboxImageArchive.archive(busybox: busybox, architecture: "arm64") != first)
    }

    @Test func bogusDockerdGivesAClearError() {
        do {
            _ = try DockerEngine.start(dockerd: "/nonexistent/dockerd", runtimeRoot: runtimeRoot, fixtures: nil)
            Issue.record("start succeeded with a bogus dockerd")
        } catch {
            #expect(error.description.contains("/nonexistent/dockerd"))
        }
    }

    @Test func availabilityGivesAReasonWhenUnavailable() {
        let (available, reason) = DockerEngine.availability(dockerd: "no-such-dockerd-here")
        #expect(!available)
        #expect(reason != nil)
    }
}

@Suite("DockerEngine: private daemons", .enabled(if: engineAvailable, "needs root, dockerd, unshare and docker"), .serialized)
struct DockerEngineDaemonTests {
    @Test func startPingLoadAndList() throws {
        let fixtures = try sharedFixtures.get()
        let engine = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures)
        defer { engine.stop() }
        #expect(DockerSocketHTTP.ping(socket: engine.socketPath))
        #expect(engine.environment["DOCKER_HOST"] == "unix://" + engine.socketPath)
        #expect(engine.environment["TRANSCRIPT_DOCKER_IMAGES"] == fixtures.archives.joined(separator: ":"))
        #expect(engine.serverVersion != "unknown" && !engine.serverVersion.isEmpty)
        #expect(engine.clientVersion != "unknown")
        #expect(try imageTags(engine) == DockerFixtures.busyboxImageTags.sorted())

        let run = try docker(["run", "--rm", "training/webapp", "sh", "-c", "echo hello from $(pwd)"], engine: engine)
        #expect(run.status == 0)
        #expect(run.output == "hello from /opt/webapp\n")
        let listed = try docker(["images", "--format", "{{.Repository}}:{{.Tag}}"], engine: engine)
        #expect(listed.output.split(separator: "\n").map(String.init).sorted() == DockerFixtures.busyboxImageTags.sorted())
        print("engine \(engine.serverVersion)/\(engine.storageDriver): ready in \(engine.startDuration), fixtures loaded in \(engine.loadDuration)")
    }

    @Test func enginesSideBySideAreIsolated() throws {
        let fixtures = try sharedFixtures.get()
        let first = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures)
        defer { first.stop() }
        let second = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: nil)
        defer { second.stop() }
        #expect(first.socketPath != second.socketPath)
        #expect(try imageTags(second) == [])
        #expect(try docker(["tag", "ubuntu", "only-in-first:1"], engine: first).status == 0)
        #expect(try imageTags(first).contains("only-in-first:1"))
        #expect(try imageTags(second) == [])
        #expect(try docker(["run", "--name", "box", "ubuntu", "true"], engine: first).status == 0)
        let containers = try docker(["ps", "-aq"], engine: second)
        #expect(containers.status == 0 && containers.output.isEmpty)
    }

    @Test func stopLeavesNothingBehind() throws {
        let fixtures = try sharedFixtures.get()
        let engine = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures)
        let directory = engine.runtimeDirectory
        // A running container (a shim and its processes) and a stopped one.
        #expect(try docker(["run", "-d", "--name", "web", "training/webapp"], engine: engine).status == 0)
        #expect(try docker(["run", "--name", "done", "ubuntu"], engine: engine).status == 0)
        #expect(!processesMentioning(directory).isEmpty)

        let began = ContinuousClock.now
        engine.stop()
        let took = ContinuousClock.now - began
        print("engine stopped in \(took)")
        #expect(processesMentioning(directory).isEmpty)
        #expect(DockerEngineProcess.mounts(under: directory).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory))
        #expect(!DockerEngine.running.contains { $0 === engine })
        engine.stop()  // idempotent
    }

    @Test func stopAllStopsEveryEngine() throws {
        let first = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: nil)
        let second = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: nil)
        DockerEngine.stopAll()
        for engine in [first, second] {
            #expect(!FileManager.default.fileExists(atPath: engine.runtimeDirectory))
            #expect(processesMentioning(engine.runtimeDirectory).isEmpty)
        }
    }

    /// Start, fixture load, one container and stop, per storage driver; prints the times.
    @Test(arguments: ["overlay2", "vfs"])
    func timings(storageDriver: String) throws {
        let fixtures = try sharedFixtures.get()
        let engine = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures, storageDriver: storageDriver)
        let began = ContinuousClock.now
        #expect(try docker(["run", "--name", "one", "ubuntu", "true"], engine: engine).status == 0)
        #expect(try docker(["rm", "one"], engine: engine).status == 0)
        #expect(try docker(["rmi", "myapp:2.0.0", "myapp:latest"], engine: engine).status == 0)
        let used = ContinuousClock.now - began
        let stopping = ContinuousClock.now
        engine.stop()
        print("\(storageDriver): ready \(engine.startDuration), load \(engine.loadDuration), run+rm+rmi \(used), stop \(ContinuousClock.now - stopping)")
    }

    /// Engines from one image store, per storage driver: each holds the fixtures, runs a
    /// container from them, and what one does to its images the other does not see.
    @Test(arguments: ["overlay2", "vfs"])
    func enginesFromAStoreHoldTheFixturesEachOnItsOwn(storageDriver: String) throws {
        let cache = FixtureCache(qualifiedNames: false)
        defer { cache.finish() }
        let fixtures = try #require(try cache.fixtureSet(busybox: true, extra: []))
        let start = { (fixtures: DockerFixtures) throws(DockerEngineError) -> DockerEngine in
            try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures, storageDriver: storageDriver)
        }
        let built = try DockerImageStore.store(for: fixtures, storageDriver: storageDriver, in: cache, start: start)
        // The engine that built the store comes back to the call that built it, to serve its file.
        let builder = try #require(built.builder)
        defer { builder.stop() }
        let again = try DockerImageStore.store(for: fixtures, storageDriver: storageDriver, in: cache, start: start)
        #expect(again.path == built.path && again.builder == nil, "built once")
        let store = built.path
        let first = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures, store: store, storageDriver: storageDriver)
        defer { first.stop() }
        let second = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: fixtures, store: store, storageDriver: storageDriver)
        defer { second.stop() }
        #expect(first.storageDriver == storageDriver)
        #expect(first.environment["TRANSCRIPT_DOCKER_IMAGES"] == fixtures.archives.joined(separator: ":"))
        #expect(try imageTags(first) == DockerFixtures.busyboxImageTags.sorted())
        let run = try docker(["run", "--rm", "training/webapp", "sh", "-c", "echo hello from $(pwd)"], engine: first)
        #expect(run.output == "hello from /opt/webapp\n")
        #expect(try docker(["rmi", "-f", "ubuntu"], engine: first).status == 0)
        #expect(try imageTags(second) == DockerFixtures.busyboxImageTags.sorted())
        #expect(try imageTags(builder) == DockerFixtures.busyboxImageTags.sorted())
        print("\(storageDriver) engine from a store: copied in \(first.loadDuration), ready in \(first.startDuration)")
    }

    @Test func daemonThatExitsAtOnceReportsItsLog() {
        do {
            _ = try DockerEngine.start(runtimeRoot: runtimeRoot, fixtures: nil, storageDriver: "no-such-driver")
            Issue.record("start succeeded with a bogus storage driver")
        } catch {
            #expect(error.description.contains("exited during startup"))
            #expect(error.logTail?.isEmpty == false)
        }
    }
}
