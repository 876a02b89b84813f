import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starting a private Podman engine: its runtime directory and configuration, its cgroups, the
/// `unshare` launch, the wait until it answers, and the fixtures it loads.
extension PodmanEngine {
    /// Starts a private engine in a new directory under `runtimeRoot`, waits until it answers
    /// `/_ping` (at most `readyTimeout`), and loads `fixtures` into it: from `store` (a copy of
    /// an engine's storage with them, `PodmanImageStore`) when given, else through the API.
    package static func start(
        podman: String = "podman", runtimeRoot: String, fixtures: DockerFixtures?, store: String? = nil,
        storageDriver: String? = nil, readyTimeout: Duration = .seconds(20)
    ) throws(DockerEngineError) -> PodmanEngine {
        let (program, unshare) = try DockerEngineProcess.programs(podman, for: "the Podman engine")
        let directory = try makeRuntimeDirectory(under: runtimeRoot)
        let engine = PodmanEngine(runtimeDirectory: directory, controlGroups: .make(id: String(directory.suffix(6))))
        PodmanEngineRegistry.shared.add(engine)
        do throws(DockerEngineError) {
            guard engine.socketPath.utf8.count < 108 else {
                throw DockerEngineError("runtime root \(runtimeRoot) is too long for unix socket paths (108 bytes): use a shorter one, e.g. \(EngineRuntimeRoots.defaultRoot)")
            }
            let settings = PodmanConfigurationFiles(directory: directory, storageDriver: storageDriver)
            try settings.write()
            let copying = ContinuousClock.now
            if let store, fixtures != nil {
                try engine.copyStore(store, driver: settings.driver)
                engine.loadDuration = ContinuousClock.now - copying
            }
            let began = ContinuousClock.now
            let (launcher, watchdog) = try DockerEngine.launch(
                unshare, launchArguments(podman: program, directory: directory, controlGroups: engine.controlGroups),
                directory: directory, logName: "podman.log", engineName: "Podman", extra: settings.environment)
            guard engine.launched(launcher, watchdog: watchdog) else {
                throw DockerEngineError("cannot start the Podman engine: the run was interrupted")
            }
            try engine.waitUntilReady(deadline: began + readyTimeout, readyTimeout: readyTimeout)
            let ready = ContinuousClock.now
            engine.startDuration = ready - began
            engine.serverVersion = engine.askVersion()
            if let fixtures {
                if store == nil {
                    try fixtures.load(socket: engine.socketPath, logPath: engine.logPath, engineName: "Podman")
                    engine.loadDuration = ContinuousClock.now - ready
                }
                engine.fixtures = fixtures
            }
        } catch {
            engine.stop(grace: .zero)
            throw error
        }
        return engine
    }

    /// Lays a copy of `store` into the graph root, before the engine starts.
    private func copyStore(_ store: String, driver: String) throws(DockerEngineError) {
        let root = runtimeDirectory + "/root"
        guard mkdir(root, 0o700) == 0 else {
            throw DockerEngineError("cannot create \(root): \(String(cString: strerror(errno)))")
        }
        for directory in PodmanImageStore.directories(driver: driver) {
            try PodmanImageStore.copy(store + "/" + directory, to: root + "/" + directory)
        }
    }

    /// `unshare`'s arguments: new namespaces, an init shell as their PID 1, and the service in a
    /// cgroup namespace of its own.
    private static func launchArguments(podman: String, directory: String, controlGroups: PodmanControlGroups) -> [String] {
        let service = [
            "--root", directory + "/root", "--volumepath", directory + "/volumes", "--network-config-dir", directory + "/networks",
            "--cgroup-manager=cgroupfs", "--events-backend=file", "--runtime", "runc",
            "system", "service", "--time=0", "unix://" + directory + "/d.sock",
        ]
        // PID 1 of the namespace: ignores signals it has no handler for, so it traps them.
        // Descriptor 9 is the read end of a pipe only the harness writes to: when the harness
        // is gone, even by SIGKILL, the read ends and the service is stopped.
        let initScript = """
            mount -t tmpfs -o mode=0755 transcript /run && mount -t tmpfs -o mode=0755 transcript /var/lib || exit 1
            mount --bind \(shellQuote(directory + "/tmp")) /var/tmp || exit 1
            \(controlGroups.shellLines)
            unshare --cgroup "$0" "$@" 9<&- &
            daemon=$!
            { read -r _ || :; kill -TERM $daemon 2>/dev/null; } <&9 &
            exec 9<&-
            trap 'kill -TERM $daemon 2>/dev/null' TERM INT HUP
            while kill -0 $daemon 2>/dev/null; do wait $daemon; done
            """
        return [
            "--net", "--mount", "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc",
            "--propagation", "private", "--", "/bin/sh", "-c", initScript, podman,
        ] + service
    }

    /// Polls `/_ping` until it answers; a service that exits or does not answer in time is an
    /// error with its log's last lines (the caller stops what is left).
    private func waitUntilReady(deadline: ContinuousClock.Instant, readyTimeout: Duration) throws(DockerEngineError) {
        while true {
            if let status = launcherExit() {
                throw DockerEngineError("the Podman engine exited during startup with \(DockerEngine.describe(status))",
                                        logTail: DockerEngineProcess.tail(of: logPath, lines: 20))
            }
            if DockerSocketHTTP.ping(socket: socketPath) { return }
            if ContinuousClock.now >= deadline {
                throw DockerEngineError("the Podman engine did not answer on \(socketPath) within \(readyTimeout)",
                                        logTail: DockerEngineProcess.tail(of: logPath, lines: 20))
            }
            usleep(10_000)
        }
    }

    /// The server's version from `/version`.
    private func askVersion() -> String {
        guard let response = try? DockerSocketHTTP.request(socket: socketPath, method: "GET", target: "/version", timeout: .seconds(5)),
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let version = object["Version"] as? String else { return "unknown" }
        return version
    }

    /// A fresh `podman-<owner>-XXXXXX` under `root` (`HarnessOwner`), made through the launch
    /// gate and registered at once, so that an interruption sweeps it. The first made under a
    /// root in this process removes those of harnesses that are gone.
    static func makeRuntimeDirectory(under root: String) throws(DockerEngineError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw DockerEngineError("cannot create the engines' runtime root \(root): \(error.localizedDescription)")
        }
        let base = root.hasSuffix("/") ? root : root + "/"
        switch LaunchGate.makeDirectory(base + directoryPrefix + HarnessOwner.current + "-XXXXXX", owner: PodmanEngineRegistry.shared.made) {
        case .made(let path):
            if PodmanEngineRegistry.shared.claimSweep(root) {
                sweepStaleDirectories(under: base)
                PodmanControlGroups.sweep()
            }
            return path
        case .closed: throw DockerEngineError("cannot start the Podman engine: the run was interrupted")
        case .failed(let code): throw DockerEngineError("cannot create a runtime directory under \(root): \(String(cString: strerror(code)))")
        }
    }

    static let directoryPrefix = "podman-"

    /// Runtime directories left under `base` by a harness killed outright (its engine stops
    /// itself, see the init script, but nothing removes the directory).
    private static func sweepStaleDirectories(under base: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            guard let owner = HarnessOwner.owner(of: entry, prefix: directoryPrefix), HarnessOwner.isGone(owner),
                  DockerEngineProcess.processes(mentioning: base + entry + "/").isEmpty else { continue }
            DockerEngineProcess.removeEngineDirectory(base + entry)
        }
    }
}
