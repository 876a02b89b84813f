import Foundation

/// One kind of engine a transcript can ask for with `requires=NAME` (Docker today). A run
/// makes one instance per registered kind (`EngineRegistry`); it hands out a lease per file
/// that asks for it and guards the files that do not.
package protocol Engine: AnyObject, Sendable {
    /// The name `requires=` and the configuration section use, e.g. "docker".
    static var name: String { get }
    /// How messages and reports name it, e.g. "Docker".
    static var displayName: String { get }
    /// The `requires=` names it serves: its own, and those whose clients it answers too (a
    /// Podman engine serves `docker`). A version gate `NAME>=V` applies only to the kind `NAME`.
    static var serves: [String] { get }
    /// Reads its configuration section (`[NAME]`), reporting problems to `section`.
    static func parseSettings(_ section: inout ConfigurationReader) -> any Sendable
    /// Whether a shell command runs this engine's client (`record` then adds `requires=NAME`).
    static func isUsed(by command: String) -> Bool
    /// Orders two versions of this engine for `requires=NAME>=VERSION`: -1, 0 or 1.
    static func compareVersions(_ a: String, _ b: String) -> Int

    /// The kind for one run: `mode` applies to every kind, `environment` is the harness's own.
    init(mode: EngineMode, environment: [String: String])

    /// Nil when this run can provide the engine, else why not (e.g. "not root").
    func unavailableReason(configuration: Configuration) -> String?
    /// Starts (or reaches) an engine for one file.
    func start(for file: EngineFile) throws -> any EngineLease
    /// What a file that did not ask for this engine gets, so it cannot reach one by accident.
    func absent(for file: EngineFile) -> EngineGuard
    /// Removes what the run built once for all files (e.g. fixture caches). Nothing is built after.
    func finish()
    /// Stops every engine of this kind still running: for interruptions.
    func stopAll()
}

/// An engine in use by one file, from `Engine.start` until `stop()`.
package protocol EngineLease: AnyObject, Sendable {
    /// Variables every command of the file sees (e.g. DOCKER_HOST).
    var environment: [String: String] { get }
    /// Paths the file's shell sees covered (host path → what shows instead); empty for none.
    var masks: [String: String] { get }
    /// Directories the file's shell sees empty but for what it may use of them (e.g. the
    /// engines' runtime root, keeping this engine's own directory).
    var covered: [CoveredDirectory] { get }
    /// What reports say of it.
    var info: EngineInfo { get }
    /// A command the file's shell runs before the first block, if any.
    var setup: EngineSetup? { get }
    /// Stops and wipes it (nothing for an engine the harness did not start). Safe to call more than once.
    func stop()
}

/// What an engine is told of the file it serves or guards.
package struct EngineFile: Sendable {
    /// The file's path as reported.
    package var path: String
    /// The file's text.
    package var text: String
    /// The file's private temporary directory.
    package var directory: String
    /// The environment its commands get before any engine's variables.
    package var environment: [String: String]
    package var configuration: Configuration

    package init(path: String, text: String, directory: String, environment: [String: String], configuration: Configuration) {
        self.path = path
        self.text = text
        self.directory = directory
        self.environment = environment
        self.configuration = configuration
    }
}

/// What a file that did not ask for an engine gets: variables that lead nowhere, masks, and
/// directories covered (other files' engines).
package struct EngineGuard: Sendable, Hashable {
    package var environment: [String: String]
    package var masks: [String: String]
    package var covered: [CoveredDirectory]

    package init(environment: [String: String] = [:], masks: [String: String] = [:], covered: [CoveredDirectory] = []) {
        self.environment = environment
        self.masks = masks
        self.covered = covered
    }
}

/// A command run in the file's shell before its first block (e.g. `[docker] setup`).
package struct EngineSetup: Sendable, Hashable {
    /// The shell command.
    package var command: String
    /// How failures name it (the script as the configuration writes it).
    package var name: String
    package var timeout: Duration

    package init(command: String, name: String, timeout: Duration = .seconds(300)) {
        self.command = command
        self.name = name
        self.timeout = timeout
    }
}

extension EngineSetup {
    /// A setup script a configuration names (relative to its directory), run with `sh`; nil
    /// without one.
    init?(script: String?, configuration: Configuration) {
        guard let script, let configPath = configuration.path else { return nil }
        let path = script.hasPrefix("/") ? script
            : ((absolute(configPath) as NSString).deletingLastPathComponent + "/" + script)
        self.init(command: "sh " + shellQuote(path), name: script)
    }
}

extension Engine {
    /// This engine's name.
    package var name: String { Self.name }

    /// Its own name alone, unless the kind says more.
    package static var serves: [String] { [name] }

    /// The `requires=` names it serves.
    package var serves: Set<String> { Set(Self.serves) }
}

extension EngineLease {
    /// None unless the engine says otherwise.
    package var covered: [CoveredDirectory] { [] }
}
