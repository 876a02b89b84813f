/// The engines one file runs with: the leases it asked for (until `stop()`), and what guards
/// it from the engines it did not ask for.
package struct FileEngines: Sendable {
    /// The leases, each with its kind.
    package private(set) var leases: [(kind: any Engine.Type, lease: any EngineLease)] = []
    /// Variables for every command: the leases' and the guards'.
    package private(set) var environment: [String: String] = [:]
    /// Paths the file's shell sees covered.
    package private(set) var masks: [String: String] = [:]
    /// Directories the file's shell sees empty but for what they keep.
    package private(set) var covered: [CoveredDirectory] = []

    package init() {}

    /// The variables a lease set: a later lease or guard does not change them, so that a file
    /// asking for Docker and Podman both has DOCKER_HOST lead to Docker (the first kind).
    private var leaseVariables = Set<String>()

    mutating func add(_ lease: any EngineLease, of kind: any Engine.Type) {
        leases.append((kind, lease))
        for (name, value) in lease.environment where !leaseVariables.contains(name) {
            environment[name] = value
            leaseVariables.insert(name)
        }
        masks.merge(lease.masks) { $1 }
        covered = CoveredDirectory.merged(covered + lease.covered)
    }

    mutating func add(_ guarding: EngineGuard) {
        environment.merge(guarding.environment.filter { !leaseVariables.contains($0.key) }) { $1 }
        masks.merge(guarding.masks) { $1 }
        covered = CoveredDirectory.merged(covered + guarding.covered)
    }

    /// What reports say of the file's engine (the first one started), if any.
    package var info: EngineInfo? { leases.first?.lease.info }

    /// The commands to run in the file's shell before its first block.
    package var setups: [EngineSetup] { leases.compactMap { $0.lease.setup } }

    /// Why a block requiring `features` is skipped once the engines answered (a version too
    /// old for `NAME>=VERSION`), or nil.
    package func versionSkip(_ features: [Feature]?) -> String? {
        var reason: String?
        for feature in features ?? [] {
            guard case .engine(let name, let wanted?) = feature,
                  let (kind, lease) = leases.first(where: { $0.kind.name == name }) else { continue }
            let server = lease.info.serverVersion
            if kind.compareVersions(server, wanted) < 0 {
                reason = "requires \(feature): the engine is \(server)"
            }
        }
        return reason
    }

    /// Runs the setups with `run` (command, timeout → result); the failure message of the first
    /// that fails, or nil when all succeed.
    package func setupFailure(running run: (String, Duration) -> CommandResult) -> String? {
        for setup in setups {
            let result = run(setup.command, setup.timeout)
            if result.exitStatus != 0 || result.shellEnded {
                return "the setup script \(setup.name) failed with status \(result.exitStatus):\n"
                    + String(decoding: result.output.suffix(4000), as: UTF8.self)
            }
        }
        return nil
    }

    /// Stops every lease. Safe to call more than once.
    package func stop() {
        for (_, lease) in leases { lease.stop() }
    }
}
