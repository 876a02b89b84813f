import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private Docker daemon for one transcript file: its own data root, exec root, containerd,
/// unix socket, network, mount and PID namespaces, all under one runtime directory that
/// `stop()` removes.
///
/// The daemon runs as `unshare --net --mount --pid --fork -- sh -c INIT dockerd ...`. The shell
/// is PID 1 of the new PID namespace: it reaps the shims containerd orphans, forwards SIGTERM to
/// dockerd, and when it dies the kernel kills every process left in the namespace (containerd,
/// shims, containers). Mounts made by the daemon live in its private mount namespace and vanish
/// with it, and a private tmpfs on /run/containerd keeps the shims' sockets off the host.
/// Forwarding is enabled inside the private network namespace only, so `docker run`
/// prints no "IPv4 forwarding is disabled" warning and the host is not touched.
package final class DockerEngine: @unchecked Sendable {
    /// The private directory holding everything of this engine.
    package let runtimeDirectory: String
    /// The daemon's API socket.
    package let socketPath: String
    /// The daemon's version, e.g. "20.10.24+dfsg1".
    package let serverVersion: String
    /// The storage driver the daemon chose or was given.
    package let storageDriver: String
    /// How long the daemon took from spawn to answering `/_ping`, and the fixtures to load.
    package let startDuration: Duration
    package internal(set) var loadDuration: Duration = .zero

    /// The `unshare` process we spawned (our child).
    private let launcherID: pid_t
    /// The write end of the pipe whose end stops the daemon (see the init script); closed by `stop()`.
    var watchdog: Int32 = -1
    /// The namespace's PID 1 (the init shell) as seen from here.
    private let initID: pid_t?
    private let lock = NSLock()
    private var stopped = false

    /// What commands need to reach this engine.
    /// `TRANSCRIPT_DOCKER_IMAGES` names the fixture archives (colon-separated), so a transcript
    /// can restore the fixture images with `docker load -i` of each.
    package var environment: [String: String] {
        var environment = ["DOCKER_HOST": "unix://" + socketPath]
        if let fixtures, !fixtures.archives.isEmpty {
            environment["TRANSCRIPT_DOCKER_IMAGES"] = fixtures.archives.joined(separator: ":")
        }
        return environment
    }

    /// The fixtures loaded at start.
    package internal(set) var fixtures: DockerFixtures?

    /// The docker client's version, e.g. "28.2.2", or "unknown" without a client on PATH.
    package var clientVersion: String { Self.cachedClientVersion }

    /// The daemon's log file (standard output and error).
    package var logPath: String { runtimeDirectory + "/dockerd.log" }

    init(
        runtimeDirectory: String, socketPath: String, serverVersion: String, storageDriver: String,
        startDuration: Duration, launcherID: pid_t, initID: pid_t?
    ) {
        self.runtimeDirectory = runtimeDirectory
        self.socketPath = socketPath
        self.serverVersion = serverVersion
        self.storageDriver = storageDriver
        self.startDuration = startDuration
        self.launcherID = launcherID
        self.initID = initID
    }

    deinit { stop() }

    // MARK: Availability

    /// Whether this run can start engines: root, Linux, dockerd and unshare on PATH.
    /// When not, docker transcripts are skipped (not failed) with `reason`.
    package static func availability(dockerd: String = "dockerd") -> (available: Bool, reason: String?) {
        #if os(Linux)
        if geteuid() != 0 { return (false, "not running as root (a private dockerd needs root)") }
        if DockerEngineProcess.which(dockerd) == nil { return (false, "no \(dockerd) on PATH") }
        if DockerEngineProcess.which("unshare") == nil { return (false, "no unshare on PATH (util-linux)") }
        if DockerEngineProcess.which("docker") == nil { return (false, "no docker client on PATH") }
        return (true, nil)
        #else
        return (false, "private Docker engines need Linux")
        #endif
    }

    // MARK: Stop

    /// Stops the daemon and everything it started, detaches mounts under the runtime
    /// directory and removes it. SIGTERM first, SIGKILL to the namespace after `grace`: nothing
    /// of the engine is kept, so a long graceful shutdown buys nothing. Idempotent.
    package func stop(grace: Duration = .milliseconds(250)) {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return }
        stopped = true
        DockerEngineRegistry.shared.remove(self)
        defer {
            if watchdog >= 0 { close(watchdog) }
            watchdog = -1
        }

        DockerEngineProcess.endNamespace(launcher: launcherID, initID: initID, grace: grace)
        DockerEngineProcess.killStragglersAndRemove(runtimeDirectory)
    }

    /// Stops every engine still running in this process: for the CLI's SIGINT/SIGTERM handling
    /// (call it from a DispatchSource signal handler, not from a raw signal handler) and at exit.
    package static func stopAll() {
        for engine in DockerEngineRegistry.shared.all() {
            engine.stop(grace: .milliseconds(200))
        }
        // (No engine starts any more once the run is interrupted.)
        DockerEngineRegistry.shared.sweepMadeDirectories()
    }

    /// The engines started and not yet stopped.
    package static var running: [DockerEngine] { DockerEngineRegistry.shared.all() }

    // MARK: Client

    private static let cachedClientVersion = DockerEngineProcess.clientVersion(of: "docker")
}

/// The Docker engines started and not yet stopped.
enum DockerEngineRegistry {
    static let shared = RunningEngines<DockerEngine>()
}
