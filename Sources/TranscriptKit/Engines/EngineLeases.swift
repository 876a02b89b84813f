/// An engine process the harness started for one file: what its lease reports and how it ends.
/// Docker's `DockerEngine` and Podman's `PodmanEngine` are such.
protocol PrivateEngineProcess: AnyObject, Sendable {
    /// Variables that lead a file's clients to it.
    var environment: [String: String] { get }
    var serverVersion: String { get }
    var clientVersion: String { get }
    /// From spawn to answering, and the fixtures' making present.
    var startDuration: Duration { get }
    var loadDuration: Duration { get }
    /// Stops it and wipes its directory (after `grace`, everything left is killed).
    func stop(grace: Duration)
}

/// A private engine of kind `Kind` in use by one file.
final class PrivateEngineLease<Kind: Engine, Process: PrivateEngineProcess>: EngineLease, @unchecked Sendable {
    let engine: Process
    let interruptionKey: Int
    let masks: [String: String]
    let covered: [CoveredDirectory]
    let setup: EngineSetup?

    init(engine: Process, interruptionKey: Int, masks: [String: String], covered: [CoveredDirectory], setup: EngineSetup?) {
        self.engine = engine
        self.interruptionKey = interruptionKey
        self.masks = masks
        self.covered = covered
        self.setup = setup
    }

    var environment: [String: String] { engine.environment }

    var info: EngineInfo {
        EngineInfo(name: Kind.name, displayName: Kind.displayName, kind: "private",
                   serverVersion: engine.serverVersion, clientVersion: engine.clientVersion,
                   readySeconds: (engine.startDuration + engine.loadDuration).seconds,
                   startSeconds: engine.startDuration.seconds, fixturesSeconds: engine.loadDuration.seconds)
    }

    func stop() {
        Interruption.unregister(interruptionKey)
        // Killed at once: a graceful stop takes a daemon about a second, which no grace short
        // enough to wait for lets it finish, and nothing of the engine is kept; a run waited that
        // grace for its last engines before it could end.
        engine.stop(grace: .zero)
    }
}

/// The user's own engine (`--engine host`): never stopped by the harness, no setup, no masks.
final class HostEngineLease: EngineLease, @unchecked Sendable {
    let info: EngineInfo
    let environment: [String: String]
    var masks: [String: String] { [:] }
    var setup: EngineSetup? { nil }

    init(info: EngineInfo, environment: [String: String]) {
        self.info = info
        self.environment = environment
    }

    func stop() {}
}
