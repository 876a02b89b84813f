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
}
