import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The private engines of one kind started and not yet stopped, so that a signal or exit can
/// take them all down, and every runtime directory the kind made in this process.
final class RunningEngines<Engine: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var engines: [ObjectIdentifier: Engine] = [:]
    /// Every runtime directory this process made, for the last sweep of an interruption (one
    /// still starting has no engine object yet).
    private var made = Set<String>()
    /// The runtime roots already swept for stale directories.
    private var swept = Set<String>()

    func made(_ directory: String) { lock.withLock { _ = made.insert(directory) } }

    func madeDirectories() -> [String] { lock.withLock { Array(made) } }

    /// True the first time a runtime root is named in this process.
    func claimSweep(_ root: String) -> Bool { lock.withLock { swept.insert(root).inserted } }

    func add(_ engine: Engine) { lock.withLock { engines[ObjectIdentifier(engine)] = engine } }

    func remove(_ engine: Engine) { lock.withLock { _ = engines.removeValue(forKey: ObjectIdentifier(engine)) } }

    func all() -> [Engine] { lock.withLock { Array(engines.values) } }

    /// For the end of an interruption, after every engine's stop: engines interrupted while they
    /// were starting (no object owns them yet), and anything a start or stop on another thread
    /// left half done, until no process names the directory and it is gone.
    func sweepMadeDirectories() {
        for directory in madeDirectories() where FileManager.default.fileExists(atPath: directory) {
            for _ in 0..<60 {
                let left = DockerEngineProcess.processes(mentioning: directory + "/")
                for pid in left { kill(pid, SIGKILL) }
                DockerEngineProcess.unmountAll(under: directory)
                if left.isEmpty, (try? FileManager.default.removeItem(atPath: directory)) != nil
                    || !FileManager.default.fileExists(atPath: directory) { break }
                usleep(50_000)
            }
        }
    }
}
