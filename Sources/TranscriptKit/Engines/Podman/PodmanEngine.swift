import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private Podman engine for one transcript file: `podman system service` serving the Docker
/// and Podman APIs on a unix socket of its own, with its storage, run root, temporary files,
/// locks, events log and networks all under one runtime directory that `stop()` removes.
///
/// It runs as `unshare --net --mount --pid --fork -- sh -c INIT unshare --cgroup podman ...`.
/// The shell is PID 1 of the new PID namespace: it lays tmpfs over /run and /var/lib (where
/// Podman would otherwise leave its network state and image caches) and the engine's tmp over
/// /var/tmp (where its archive loads unpack), shows the engine's own
/// cgroups in place of the host's hierarchies (`PodmanControlGroups`), forwards SIGTERM to
/// Podman, and when it dies the kernel kills every process left in the namespace (conmon and
/// the containers). Mounts live in the namespace and vanish with it.
package final class PodmanEngine: @unchecked Sendable {
    /// The private directory holding everything of this engine.
    package let runtimeDirectory: String
    /// The API socket.
    package var socketPath: String { runtimeDirectory + "/d.sock" }
    /// The service's log (standard output and error).
    package var logPath: String { runtimeDirectory + "/podman.log" }
    /// The engine's cgroups.
    let controlGroups: PodmanControlGroups
    /// The server's version, e.g. "4.3.1".
    package internal(set) var serverVersion = "unknown"
    /// How long the service took from spawn to answering `/_ping`, and the fixtures to load.
    package internal(set) var startDuration: Duration = .zero
    package internal(set) var loadDuration: Duration = .zero
    /// The fixtures loaded at start.
    package internal(set) var fixtures: DockerFixtures?

    private let lock = NSLock()
    private var stopped = false
    /// The `unshare` process spawned (our child), once launched.
    private var launcherID: pid_t?
    /// The write end of the pipe whose end stops the service (see the init script).
    private var watchdog: Int32 = -1

    init(runtimeDirectory: String, controlGroups: PodmanControlGroups) {
        self.runtimeDirectory = runtimeDirectory
        self.controlGroups = controlGroups
    }

    deinit { stop() }

    /// What commands need to reach this engine: the Docker client and Podman's own (in its
    /// remote mode) both talk to its socket. `TRANSCRIPT_DOCKER_IMAGES` names the fixture
    /// archives (colon-separated), as the Docker engine's lease does.
    package var environment: [String: String] {
        var environment = ["DOCKER_HOST": "unix://" + socketPath, "CONTAINER_HOST": "unix://" + socketPath]
        if let fixtures, !fixtures.archives.isEmpty {
            environment["TRANSCRIPT_DOCKER_IMAGES"] = fixtures.archives.joined(separator: ":")
        }
        return environment
    }

    /// The podman client's version, e.g. "4.3.1", or "unknown" without one on PATH.
    package var clientVersion: String { Self.cachedClientVersion }
    private static let cachedClientVersion = DockerEngineProcess.clientVersion(of: "podman")

    /// Records the launched service; false (and the launcher killed) when the engine was stopped
    /// meanwhile, by an interruption.
    func launched(_ launcher: pid_t, watchdog: Int32) -> Bool {
        lock.withLock {
            guard !stopped else {
                close(watchdog)
                DockerEngineProcess.endNamespace(launcher: launcher, initID: nil, grace: .zero) { controlGroups.kill() }
                return false
            }
            launcherID = launcher
            self.watchdog = watchdog
            return true
        }
    }

    /// The launcher, if it has exited (reaped): its wait status.
    func launcherExit() -> Int32? {
        lock.withLock { launcherID.flatMap { DockerEngineProcess.reapIfExited($0) } }
    }

    // MARK: Availability

    /// Why this run cannot start Podman engines (not root, not Linux, no podman, conmon, runc or
    /// unshare on PATH), or nil: podman transcripts are then skipped with the reason. A podman
    /// the configuration names (`podman` nil here) is not looked for: starting it says why not.
    package static func availability(podman: String? = "podman") -> String? {
        #if os(Linux)
        if geteuid() != 0 { return "not running as root (a private Podman engine needs root)" }
        let programs = (podman.map { [($0, "podman")] } ?? []) + [("conmon", "conmon"), ("runc", "runc"), ("unshare", "util-linux")]
        for (program, package) in programs where DockerEngineProcess.which(program) == nil {
            return "no \(program) on PATH (\(package))"
        }
        return nil
        #else
        return "private Podman engines need Linux"
        #endif
    }

    // MARK: Stop

    /// Stops the service and everything it started (SIGTERM, then after `grace` the cgroup's
    /// kill and SIGKILL to the namespace), removes its cgroups and its directory. Idempotent.
    package func stop(grace: Duration = .milliseconds(250)) {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return }
        stopped = true
        PodmanEngineRegistry.shared.remove(self)
        if let launcherID {
            DockerEngineProcess.endNamespace(launcher: launcherID, initID: nil, grace: grace) { controlGroups.kill() }
        }
        if watchdog >= 0 { close(watchdog) }
        watchdog = -1
        controlGroups.remove()
        DockerEngineProcess.killStragglersAndRemove(runtimeDirectory)
    }

    /// Stops every engine still running in this process: for interruptions and exit.
    package static func stopAll() {
        for engine in PodmanEngineRegistry.shared.all() {
            engine.stop(grace: .milliseconds(200))
        }
        PodmanEngineRegistry.shared.sweepMadeDirectories()
    }

    /// The engines started and not yet stopped.
    package static var running: [PodmanEngine] { PodmanEngineRegistry.shared.all() }
}

/// The Podman engines started and not yet stopped.
enum PodmanEngineRegistry {
    static let shared = RunningEngines<PodmanEngine>()
}
