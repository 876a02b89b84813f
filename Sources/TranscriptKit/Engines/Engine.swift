/// Something that can give a transcript file a Docker engine to run against.
package protocol EngineProvider: Sendable {
    /// Nil when engines can be provided here, else why not (e.g. "not root").
    func unavailableReason(configuration: Configuration) -> String?
    /// Starts (or reaches) an engine for one file.
    func start(configuration: Configuration, label: String) throws -> any RunningEngine
}

/// An engine in use by one file.
package protocol RunningEngine: AnyObject, Sendable {
    /// Variables every command of the file sees (DOCKER_HOST).
    var environment: [String: String] { get }
    var info: EngineInfo { get }
    /// Whether the harness started it for this file (setup scripts run only there).
    var isPrivate: Bool { get }
    /// Stops and wipes it (a no-op for the host's engine). Safe to call more than once.
    func stop()
}
