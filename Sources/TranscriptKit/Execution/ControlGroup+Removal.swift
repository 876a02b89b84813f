import Dispatch
import Glibc

extension ControlGroup {
    /// Kills what is left in the cgroup and waits up to `limit` until it is empty, then leaves
    /// the removal of its directory to a background queue (`BackgroundTeardown`), off the file's
    /// path: the kernel takes a while over a cgroup's rmdir, and nothing needs it gone at once.
    /// False when something was still there at the limit (the cgroup stays; a later sweep
    /// removes it).
    @discardableResult
    func removeLater(within limit: Duration = .seconds(2)) -> Bool {
        kill()
        let deadline = ContinuousClock.now + limit
        var pause: UInt32 = 50
        while isPopulated {
            if ContinuousClock.now >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
        let group = self
        BackgroundTeardown.enqueue { group.remove(within: limit) }
        return true
    }
}

/// Teardown the harness does in the background, one piece after another (empty cgroups'
/// rmdir, the last reference to a shell's mount namespace), and always finishes before the
/// process exits (an `atexit` handler waits for it): nothing queued is ever left undone by
/// a run that ends, however it ends short of SIGKILL (whose leftovers the next run sweeps).
enum BackgroundTeardown {
    private static let queue = DispatchQueue(label: "transcript.deferred-removal")
    private static let waitsAtExit: Void = { atexit { BackgroundTeardown.drain() } }()

    static func enqueue(_ work: @escaping @Sendable () -> Void) {
        _ = waitsAtExit
        queue.async(execute: work)
    }

    /// Returns once everything queued so far is done.
    static func drain() {
        queue.sync {}
    }
}
