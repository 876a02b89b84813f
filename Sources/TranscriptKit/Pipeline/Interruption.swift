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

    /// Installs the handlers once. The handler runs on a dispatch queue, not in signal context.
    package static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                lock.lock()
                let work = Array(cleanups.values)
                cleanups.removeAll()
                lock.unlock()
                for cleanup in work { cleanup() }
                OutputStream.standardError.write("transcript: interrupted; everything it started was stopped\n")
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
}
