/// Provides Docker engines to files: a private daemon per file, or the host's own engine.
package struct DockerEngineProvider: EngineProvider {
    package let mode: RunSettings.EngineMode
    package let environment: [String: String]

    package init(mode: RunSettings.EngineMode, environment: [String: String]) {
        self.mode = mode
        self.environment = environment
    }

    package func unavailableReason(configuration: Configuration) -> String? {
        "no Docker engine provider yet"
    }

    package func start(configuration: Configuration, label: String) throws -> any RunningEngine {
        throw ExecutionError("no Docker engine provider yet")
    }
}
