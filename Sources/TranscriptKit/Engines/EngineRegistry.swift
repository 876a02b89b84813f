import PCRE2

/// The engine kinds this build knows: adding a kind means adding its folder and one line here.
package enum EngineRegistry {
    /// Every kind, in the order messages list them.
    package static let kinds: [any Engine.Type] = [DockerEngineKind.self, PodmanEngineKind.self]

    /// The `requires=` names of every kind.
    package static var names: [String] { kinds.map { $0.name } }

    /// The kind `requires=` calls `name`.
    package static func kind(named name: String) -> (any Engine.Type)? {
        kinds.first { $0.name == name }
    }

    /// The feature a `requires=` word names when it is an engine (`NAME` or `NAME>=VERSION`).
    package static func feature(_ word: String) -> Feature? {
        for name in names {
            if word == name { return .engine(name: name, atLeast: nil) }
            let prefix = name + ">="
            if word.hasPrefix(prefix), word.count > prefix.count {
                return .engine(name: name, atLeast: String(word.dropFirst(prefix.count)))
            }
        }
        return nil
    }

    /// How `requires=` hints list the engine features: "docker, docker>=VERSION".
    package static var featureWords: [String] {
        names.flatMap { [$0, $0 + ">=VERSION"] }
    }

    /// The names of the kinds whose client `command` runs.
    package static func engines(usedBy command: String) -> [String] {
        kinds.filter { $0.isUsed(by: command) }.map { $0.name }
    }
}

/// A pattern that finds `program` run by a shell command: as its program, or after `;`, `&&`,
/// `|`, `$(`, a backquote or `sudo` (how a kind's `isUsed(by:)` tells its client).
func clientCallPattern(_ program: String) -> Regex? {
    try? Regex("(?:^|[;&|(`\\n])\\s*(?:sudo\\s+)?" + program + "(?:\\s|$)", options: .utf, jit: false)
}
