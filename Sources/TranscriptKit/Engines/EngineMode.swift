/// `--engine private|host`: where every engine kind of a run comes from.
package enum EngineMode: String, Sendable, CaseIterable {
    /// A private engine per file, started and wiped by the harness.
    case `private`
    /// The engine the user's own environment (e.g. DOCKER_HOST or the default socket) reaches.
    case host
}
