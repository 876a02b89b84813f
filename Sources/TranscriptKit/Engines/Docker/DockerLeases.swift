/// A private Docker engine in use by one file.
final class DockerPrivateLease: EngineLease, @unchecked Sendable {
    let engine: DockerEngine
    let interruptionKey: Int
    let masks: [String: String]
    let covered: [CoveredDirectory]
    let setup: EngineSetup?

    init(engine: DockerEngine, interruptionKey: Int, masks: [String: String], covered: [CoveredDirectory], setup: EngineSetup?) {
        self.engine = engine
        self.interruptionKey = interruptionKey
        self.masks = masks
        self.covered = covered
        self.setup = setup
    }

    var environment: [String: String] { engine.environment }

    var info: EngineInfo {
        EngineInfo(name: DockerEngineKind.name, displayName: DockerEngineKind.displayName, kind: "private",
                   serverVersion: engine.serverVersion, clientVersion: engine.clientVersion,
                   readySeconds: (engine.startDuration + engine.loadDuration).seconds,
                   startSeconds: engine.startDuration.seconds, fixturesSeconds: engine.loadDuration.seconds)
    }

    func stop() {
        Interruption.unregister(interruptionKey)
        engine.stop()
    }
}

/// The user's own Docker engine: never stopped by the harness, no setup, no masks.
final class DockerHostLease: EngineLease, @unchecked Sendable {
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
