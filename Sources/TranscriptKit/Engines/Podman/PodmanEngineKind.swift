import Foundation
import PCRE2

/// The Podman engine kind (`requires=podman`): a private `podman system service` per file (the
/// default), started with the run's fixture images loaded and wiped when the file ends, or the
/// host's own Podman service. Its lease serves the Docker client (DOCKER_HOST) and Podman's own
/// (CONTAINER_HOST) alike. One instance per run owns the fixture archives built for it.
package final class PodmanEngineKind: Engine, @unchecked Sendable {
    package static let name = "podman"
    package static let displayName = "Podman"
    /// It answers the Docker client too (DOCKER_HOST leads to it); `docker>=V` is not checked against it.
    package static let serves = ["podman", "docker"]

    package let mode: EngineMode
    package let environment: [String: String]
    private let lock = NSLock()
    private let fixtureCache = FixtureCache(qualifiedNames: true)
    private var hostInfo: Result<EngineInfo, ExecutionError>?
    private var warned = false
    /// Every runtime root this run has used or been told of.
    let runtimeRoots = EngineRuntimeRoots()

    package init(mode: EngineMode, environment: [String: String]) {
        self.mode = mode
        self.environment = environment
    }

    package static func parseSettings(_ section: inout ConfigurationReader) -> any Sendable {
        PodmanSettings.parse(&section)
    }

    private static let clientCall = clientCallPattern("podman")

    /// Whether a command runs `podman` (as its program, or after `;`, `&&`, `|`, `$(`, ...).
    package static func isUsed(by command: String) -> Bool {
        clientCall?.matches(command) ?? false
    }

    package static func compareVersions(_ a: String, _ b: String) -> Int {
        TranscriptKit.compareVersions(a, b)
    }

    package func unavailableReason(configuration: Configuration) -> String? {
        switch mode {
        case .private:
            // A podman the configuration names explicitly must exist: starting it reports why not.
            return PodmanEngine.availability(podman: configuration.podman.podman == nil ? "podman" : nil)
        case .host:
            if case .failure(let error) = host() { return error.message }
            return nil
        }
    }

    package func start(for file: EngineFile) throws -> any EngineLease {
        let configuration = file.configuration
        switch mode {
        case .host:
            let info = try host().get()
            lock.withLock {
                if !warned {
                    warned = true
                    OutputStream.standardError.write("transcript: warning: --engine host runs transcripts against your own Podman service; they may delete its images and containers\n")
                }
            }
            return HostEngineLease(info: info, environment: hostEnvironment())
        case .private:
            let images = try fixtureCache.fixtureSet(configuration, fixtures: configuration.podmanFixtures, images: configuration.podmanImages)
            let building = ContinuousClock.now
            let store = try images.map { (fixtures) throws(DockerEngineError) in try imageStore(fixtures, configuration) }
            // The engine that built the run's store serves this file (its fixtures loaded, then copied out).
            let engine = try store?.builder ?? PodmanEngine.start(
                podman: configuration.podman.podman ?? "podman", runtimeRoot: configuration.podmanRuntimeRoot,
                fixtures: images, store: store?.path, storageDriver: configuration.podman.storageDriver)
            if store?.builder != nil { engine.loadDuration = ContinuousClock.now - building - engine.startDuration }
            let key = Interruption.register { engine.stop(grace: .milliseconds(100)) }
            let own = [engine.runtimeDirectory] + EngineRuntimeRoots.archiveDirectories(images)
            return PodmanPrivateLease(engine: engine, interruptionKey: key,
                                      masks: HostEngineSockets.masks(engine: Self.name, socket: engine.socketPath),
                                      covered: runtimeRoots.covered(for: file, root: configuration.podmanRuntimeRoot, keeping: own, mode: mode),
                                      setup: EngineSetup(script: configuration.podmanSetup, configuration: configuration))
        }
    }

    /// The storage with `fixtures` loaded that engines of `configuration` start from, made by a
    /// first engine once per run (`PodmanImageStore`), and that engine to the call that made it.
    private func imageStore(_ fixtures: DockerFixtures, _ configuration: Configuration) throws(DockerEngineError) -> (path: String, builder: PodmanEngine?) {
        let driver = configuration.podman.storageDriver ?? "overlay"
        return try PodmanImageStore.store(for: fixtures, driver: driver, in: fixtureCache) { (fixtures) throws(DockerEngineError) in
            try PodmanEngine.start(podman: configuration.podman.podman ?? "podman", runtimeRoot: configuration.podmanRuntimeRoot,
                                   fixtures: fixtures, storageDriver: configuration.podman.storageDriver)
        }
    }

    /// A file that did not ask for Podman must never reach the user's own: CONTAINER_HOST leads
    /// to a socket that does not exist, so `podman` runs in its remote mode and reaches nothing
    /// (unless `--engine host` keeps the user's). DOCKER_HOST is the Docker kind's to guard.
    package func absent(for file: EngineFile) -> EngineGuard {
        var guarding = EngineGuard()
        if file.environment["CONTAINER_HOST"] == nil || mode == .private {
            guarding.environment["CONTAINER_HOST"] = "unix://\(file.directory)/.no-podman-engine.sock"
        }
        guarding.covered = runtimeRoots.covered(for: file, root: file.configuration.podmanRuntimeRoot, keeping: [], mode: mode)
        return guarding
    }

    package func stopAll() {
        PodmanEngine.stopAll()
    }

    /// Removes what the run built once for all engines (the fixture archives).
    package func finish() {
        fixtureCache.finish()
    }

    // MARK: The host's engine

    /// The user's own service: CONTAINER_HOST, else the root service's socket; the Docker client
    /// goes there too.
    func hostEnvironment() -> [String: String] {
        let host = environment["CONTAINER_HOST"] ?? "unix:///run/podman/podman.sock"
        return ["CONTAINER_HOST": host, "DOCKER_HOST": host]
    }

    /// The host service's versions, asked once.
    func host() -> Result<EngineInfo, ExecutionError> {
        lock.lock()
        defer { lock.unlock() }
        if let hostInfo { return hostInfo }
        let env = environment.merging(hostEnvironment()) { $1 }
        let result: Result<EngineInfo, ExecutionError>
        if let output = runQuietly(["podman", "--remote", "version", "--format", "{{.Server.Version}} {{.Client.Version}}"], environment: env),
           case let parts = output.split(separator: " "), parts.count == 2 {
            result = .success(EngineInfo(name: Self.name, displayName: Self.displayName, kind: "host",
                                         serverVersion: String(parts[0]), clientVersion: String(parts[1]), readySeconds: 0))
        } else {
            result = .failure(ExecutionError("no Podman service answers at \(env["CONTAINER_HOST"] ?? "")"))
        }
        hostInfo = result
        return result
    }
}
