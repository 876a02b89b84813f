/// A private Podman engine in use by one file.
final class PodmanPrivateLease: EngineLease, @unchecked Sendable {
    let engine: PodmanEngine
    let interruptionKey: Int
    let masks: [String: String]
    let covered: [CoveredDirectory]
    let setup: EngineSetup?

    init(engine: PodmanEngine, interruptionKey: Int, masks: [String: String], covered: [CoveredDirectory], setup: EngineSetup?) {
        self.engine = engine
        self.interruptionKey = interruptionKey
        self.masks = masks
        self.covered = covered
        self.setup = setup
    }

    var environment: [String: String] { engine.environment }

    var info: EngineInfo {
        EngineInfo(name: PodmanEngineKind.name, displayName: PodmanEngineKind.displayName, kind: "private",
                   serverVersion: engine.serverVersion, clientVersion: engine.clientVersion,
                   readySeconds: (engine.startDuration + engine.loadDuration).seconds,
                   startSeconds: engine.startDuration.seconds, fixturesSeconds: engine.loadDuration.seconds)
    }

    func stop() {
        Interruption.unregister(interruptionKey)
        engine.stop()
    }
}

/// The user's own Podman service: never stopped by the harness, no setup, no masks.
final class PodmanHostLease: EngineLease, @unchecked Sendable {
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
