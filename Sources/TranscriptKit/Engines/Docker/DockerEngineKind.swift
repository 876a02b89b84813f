import Foundation
import PCRE2

/// The Docker engine kind (`requires=docker`): a private daemon per file (the default),
/// started with the run's fixture images loaded and wiped when the file ends, or the host's
/// own engine. One instance per run owns the fixture archives built for it.
package final class DockerEngineKind: Engine, @unchecked Sendable {
    package static let name = "docker"
    package static let displayName = "Docker"

    package let mode: EngineMode
    package let environment: [String: String]
    private let lock = NSLock()
    private let fixtureCache = FixtureCache(qualifiedNames: false)
    private var hostInfo: Result<EngineInfo, ExecutionError>?
    private var warned = false
    /// Every runtime root this run has used or been told of, the default one first.
    let runtimeRoots = EngineRuntimeRoots()

    package init(mode: EngineMode, environment: [String: String]) {
        self.mode = mode
        self.environment = environment
    }

    package static func parseSettings(_ section: inout ConfigurationReader) -> any Sendable {
        DockerSettings.parse(&section)
    }

    private static let clientCall = clientCallPattern("docker")

    /// Whether a command runs `docker` (as its program, or after `;`, `&&`, `|`, `$(`, ...).
    package static func isUsed(by command: String) -> Bool {
        clientCall?.matches(command) ?? false
    }

    package static func compareVersions(_ a: String, _ b: String) -> Int {
        TranscriptKit.compareVersions(a, b)
    }

    package func unavailableReason(configuration: Configuration) -> String? {
        switch mode {
        case .private:
            // A dockerd the configuration names explicitly must exist: starting it reports why not.
            if configuration.docker.dockerd != nil, geteuid() == 0 { return nil }
            return DockerEngine.availability(dockerd: configuration.docker.dockerd ?? "dockerd").reason
        case .host:
            if case .failure(let error) = host() { return error.message }
            return nil
        }
    }

    package func start(for file: EngineFile) throws -> any EngineLease {
        switch mode {
        case .host:
            let info = try host().get()
            lock.withLock {
                if !warned {
                    warned = true
                    OutputStream.standardError.write("transcript: warning: --engine host runs transcripts against your own Docker engine; they may delete its images and containers\n")
                }
            }
            return HostEngineLease(info: info, environment: hostEnvironment())
        case .private:
            let configuration = file.configuration
            let images = try fixtureSet(for: configuration)
            let building = ContinuousClock.now
            let store = try images.map { (fixtures) throws(DockerEngineError) in try imageStore(fixtures, configuration) }
            let built = ContinuousClock.now - building
            let engine: DockerEngine
            if let builder = store?.builder {
                // The engine that built the run's image store serves this file: its fixtures were
                // loaded, then copied out.
                engine = builder
                engine.loadDuration = built - engine.startDuration
            } else {
                engine = try DockerEngine.start(dockerd: configuration.docker.dockerd ?? "dockerd",
                                                runtimeRoot: Self.runtimeRoot(configuration),
                                                fixtures: images, store: store?.path, storageDriver: configuration.docker.storageDriver)
                // The wait for the run's image store (another file's engine builds it) is the fixtures' too.
                engine.loadDuration += built
            }
            let key = Interruption.register { engine.stop(grace: .milliseconds(100)) }
            let own = [engine.runtimeDirectory] + Self.archiveDirectories(images)
            return DockerPrivateLease(engine: engine, interruptionKey: key,
                                      masks: HostEngineSockets.masks(engine: Self.name, socket: engine.socketPath),
                                      covered: coveredRoots(for: file, keeping: own),
                                      setup: Self.setup(configuration))
        }
    }

    /// The image store with `fixtures` that engines of `configuration` start from, made by a
    /// first engine once per run (`DockerImageStore`), and that engine to the call that made it.
    private func imageStore(_ fixtures: DockerFixtures, _ configuration: Configuration) throws(DockerEngineError) -> (path: String, builder: DockerEngine?) {
        try DockerImageStore.store(for: fixtures, storageDriver: configuration.docker.storageDriver, in: fixtureCache) { (fixtures) throws(DockerEngineError) in
            try DockerEngine.start(dockerd: configuration.docker.dockerd ?? "dockerd", runtimeRoot: Self.runtimeRoot(configuration),
                                   fixtures: fixtures, storageDriver: configuration.docker.storageDriver)
        }
    }

    /// `[docker] setup`, as a command for the file's shell.
    static func setup(_ configuration: Configuration) -> EngineSetup? {
        EngineSetup(script: configuration.docker.setup, configuration: configuration)
    }

    /// A file that asked for no engine must never reach the user's own: DOCKER_HOST leads to a
    /// socket that does not exist (unless `--engine host` keeps the user's); the host's sockets
    /// are covered for every file of a private run (`EngineSet`), and so are the runtime roots.
    package func absent(for file: EngineFile) -> EngineGuard {
        var guarding = EngineGuard()
        if file.environment["DOCKER_HOST"] == nil || mode == .private {
            guarding.environment["DOCKER_HOST"] = "unix://\(file.directory)/.no-docker-engine.sock"
        }
        guarding.covered = coveredRoots(for: file)
        return guarding
    }

    package func stopAll() {
        DockerEngine.stopAll()
    }

    /// Removes what the run built once for all engines (the fixture archives).
    package func finish() {
        fixtureCache.finish()
    }

    /// The images each private engine of this configuration loads, built once per run.
    func fixtureSet(for configuration: Configuration) throws(DockerEngineError) -> DockerFixtures? {
        try fixtureCache.fixtureSet(configuration, fixtures: configuration.docker.fixtures, images: configuration.docker.images)
    }

    // MARK: The host's engine

    func hostEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        env["DOCKER_HOST"] = environment["DOCKER_HOST"] ?? "unix:///var/run/docker.sock"
        return env
    }

    /// The host engine's versions, asked once.
    func host() -> Result<EngineInfo, ExecutionError> {
        lock.lock()
        defer { lock.unlock() }
        if let hostInfo { return hostInfo }
        var env = environment
        for (k, v) in hostEnvironment() { env[k] = v }
        let result: Result<EngineInfo, ExecutionError>
        if let output = runQuietly(["docker", "version", "--format", "{{.Server.Version}} {{.Client.Version}}"], environment: env),
           case let parts = output.split(separator: " "), parts.count == 2 {
            result = .success(EngineInfo(name: Self.name, displayName: Self.displayName, kind: "host",
                                         serverVersion: String(parts[0]), clientVersion: String(parts[1]), readySeconds: 0))
        } else {
            result = .failure(ExecutionError("no Docker engine answers at \(env["DOCKER_HOST"] ?? "")"))
        }
        hostInfo = result
        return result
    }
}

/// Runs a program with no input and returns its trimmed standard output if it exits 0.
func runQuietly(_ arguments: [String], environment: [String: String]) -> String? {
    guard let program = findProgram(arguments[0], path: environment["PATH"] ?? "/usr/bin:/bin") else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = Array(arguments.dropFirst())
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
