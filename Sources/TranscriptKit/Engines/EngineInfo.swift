/// The engine a file ran against, as reports show it.
package struct EngineInfo: Sendable, Hashable {
    /// The engine's `requires=` name, e.g. "docker".
    package var name: String
    /// How reports name it in a sentence, e.g. "Docker".
    package var displayName: String
    /// "private" (started for the file) or "host" (the user's own).
    package var kind: String
    package var serverVersion: String
    package var clientVersion: String
    /// Seconds from start until the engine was ready for the file.
    package var readySeconds: Double
    /// Of those, the seconds until the engine answered, and the seconds its fixture images took to be present.
    package var startSeconds: Double
    package var fixturesSeconds: Double
    /// Seconds the file waited, from its beginning, for its engines to be ready: less than the
    /// ready seconds, or none, when they were started ahead while the files before it ran.
    package var waitSeconds: Double = 0
    /// Seconds the file waited, once it was done, for its engines to be stopped.
    package var stopSeconds: Double = 0

    package init(name: String, displayName: String, kind: String, serverVersion: String, clientVersion: String, readySeconds: Double,
                 startSeconds: Double? = nil, fixturesSeconds: Double = 0) {
        self.name = name
        self.displayName = displayName
        self.kind = kind
        self.serverVersion = serverVersion
        self.clientVersion = clientVersion
        self.readySeconds = readySeconds
        self.startSeconds = startSeconds ?? readySeconds
        self.fixturesSeconds = fixturesSeconds
    }
}
