import Foundation

/// Shells start only while the gate is open. An interruption closes it before it stops what
/// the run started: a shell being launched at that moment is waited for (and then stopped with
/// the others), and none starts afterwards, so that no shell outlives the harness.
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

    /// Makes a fresh directory from `template` (ending in `XXXXXX`, as for mkdtemp) while the
    /// gate is open, and remembers it until `forget(_:)`: an interruption removes what is left
    /// (`removeLeftovers()`). Nil when the gate is closed or mkdtemp fails.
    package static func makeDirectory(_ template: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if closed { return nil }
        var bytes = Array(template.utf8CString)
        guard let made = bytes.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            return nil
        }
        let path = String(cString: made)
        directories.insert(path)
        return path
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
