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

    package init(name: String, displayName: String, kind: String, serverVersion: String, clientVersion: String, readySeconds: Double) {
        self.name = name
        self.displayName = displayName
        self.kind = kind
        self.serverVersion = serverVersion
        self.clientVersion = clientVersion
        self.readySeconds = readySeconds
    }
}
