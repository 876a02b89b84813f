import Foundation

/// Engines stopped off the files' critical path: a file done with its engines hands them over,
/// and a thread of their own stops them while the next file runs. `wait()` returns once every
/// engine handed over is stopped, so a run that waits for it leaves none behind; an
/// interruption meanwhile stops them through the kinds' `stopAll` (each kind still knows every
/// runtime directory it made) and the watchdog pipe of each engine.
package final class EngineStops: @unchecked Sendable {
    private let group = DispatchGroup()

    package init() {}

    /// Stops `engines` on a thread of their own; at once when there is nothing to stop.
    func stop(_ engines: FileEngines) {
        guard !engines.leases.isEmpty else { return }
        group.enter()
        let thread = Thread { [group] in
            engines.stop()
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits until every engine handed over is stopped.
    package func wait() {
        group.wait()
    }
}
