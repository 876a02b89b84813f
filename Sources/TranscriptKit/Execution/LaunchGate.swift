import Foundation

/// Shells and Docker engines start, and their directories are made, only while the gate is
/// open. An interruption closes it before it stops what the run started: a launch in progress at
/// that moment is waited for (and then stopped with the rest), and none happens afterwards, so
/// that nothing the run starts outlives it.
package enum LaunchGate {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var closed = false

    /// Opens the way for one launch; false (and nothing held) once the gate is closed. A true
    /// answer must be followed by `leave()` when the launch is done.
    static func enter() -> Bool {
        lock.lock()
        if closed {
            lock.unlock()
            return false
        }
        return true
    }

    static func leave() {
        lock.unlock()
    }

    /// Closes the gate for good, after any launch in progress.
    package static func close() {
        lock.lock()
        closed = true
        lock.unlock()
    }

    nonisolated(unsafe) private static var directories = Set<String>()

    /// What `makeDirectory` came to.
    package enum Made {
        case made(String)
        /// The gate is closed: the run is interrupted.
        case closed
        /// mkdtemp failed with this errno.
        case failed(Int32)
    }

    /// Makes a fresh directory from `template` (ending in `XXXXXX`, as for mkdtemp) while the
    /// gate is open. The gate remembers it until `forget(_:)`, and an interruption removes what
    /// is left (`leftovers()`); or, with `owner`, hands it over under the gate's lock to an owner
    /// that will clean it up itself.
    package static func makeDirectory(_ template: String, owner: ((String) -> Void)? = nil) -> Made {
        lock.lock()
        defer { lock.unlock() }
        if closed { return .closed }
        var bytes = Array(template.utf8CString)
        guard let made = bytes.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            return .failed(errno)
        }
        let path = String(cString: made)
        if let owner { owner(path) } else { directories.insert(path) }
        return .made(path)
    }

    /// The directory is removed (or kept on purpose): an interruption leaves it alone.
    package static func forget(_ path: String) {
        lock.lock()
        directories.remove(path)
        lock.unlock()
    }

    /// The directories made and not forgotten, for the end of an interruption's cleanup (after
    /// the shells and engines that used them are stopped).
    package static func leftovers() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return Array(directories)
    }
}
