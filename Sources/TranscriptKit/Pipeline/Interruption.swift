import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tears down what the harness started (shells, engines) when it is interrupted or terminated.
package enum Interruption {
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cleanups: [Int: @Sendable () -> Void] = [:]
    nonisolated(unsafe) private static var nextKey = 0

    /// Registers work to do on SIGINT/SIGTERM; returns a key to remove it with.
    package static func register(_ cleanup: @escaping @Sendable () -> Void) -> Int {
        lock.lock()
        defer { lock.unlock() }
        nextKey += 1
        cleanups[nextKey] = cleanup
        return nextKey
    }

    package static func unregister(_ key: Int) {
        lock.lock()
        defer { lock.unlock() }
        cleanups[key] = nil
    }

    nonisolated(unsafe) private static var cleaningUp = false

    /// Ends the process with `status`, unless an interruption is being cleaned up: then the
    /// cleanup ends it (with 128 + the signal) once everything is stopped, and the caller waits
    /// for that, so that a run that ends by itself meanwhile leaves nothing behind.
    package static func exit(_ status: Int32) -> Never {
        lock.lock()
        let waiting = cleaningUp
        lock.unlock()
        if waiting { while true { pause() } }
        Glibc.exit(status)
    }

    /// The write end of the pipe the signal handler wakes the cleanup thread through.
    nonisolated(unsafe) private static var wakeFD: Int32 = -1

    /// Installs the handlers once. The handler only writes the signal's number to a pipe (all a
    /// signal handler may safely do); a thread of its own, blocked reading that pipe, runs the
    /// cleanups outside signal context. Starting it costs next to nothing, so every run installs it.
    package static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wakeFD = fds[1]
        let readFD = fds[0]
        let thread = Thread {
            var signo: UInt8 = 0
            while read(readFD, &signo, 1) < 0 && errno == EINTR {}
            lock.lock()
            cleaningUp = true
            lock.unlock()
            // No shell starts from now on; one starting now is done before the cleanups run.
            LaunchGate.close()
            lock.lock()
            let work = Array(cleanups.values)
            cleanups.removeAll()
            lock.unlock()
            for cleanup in work { cleanup() }
            // Last, the files' temporary directories, once nothing runs in them.
            for directory in LaunchGate.leftovers() { removeTree(directory) }
            OutputStream.standardError.write("transcript: interrupted; everything it started was stopped\n")
            Glibc.exit(128 + Int32(signo))
        }
        thread.stackSize = 1 << 20
        thread.start()
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signo in
                var byte = UInt8(truncatingIfNeeded: signo)
                _ = write(Interruption.wakeFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
    }

}
