import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a report goes and whether it may use colour: only on a terminal, never with NO_COLOR.
package struct Style: Sendable {
    package var color: Bool

    package init(color: Bool) { self.color = color }

    /// Colour when standard output is a terminal and NO_COLOR is unset (or empty).
    package static func detect(environment: [String: String]) -> Style {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Style(color: isatty(STDOUT_FILENO) == 1 && !noColor && environment["TERM"] != "dumb")
    }

    package func red(_ s: String) -> String { paint(s, "31") }
    package func green(_ s: String) -> String { paint(s, "32") }
    package func yellow(_ s: String) -> String { paint(s, "33") }
    package func cyan(_ s: String) -> String { paint(s, "36") }
    package func bold(_ s: String) -> String { paint(s, "1") }
    package func dim(_ s: String) -> String { paint(s, "2") }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}

/// Writes text to standard output or standard error without buffering surprises between threads.
package final class OutputStream: @unchecked Sendable {
    private let lock = NSLock()
    private let descriptor: Int32

    package static let standardOutput = OutputStream(descriptor: STDOUT_FILENO)
    package static let standardError = OutputStream(descriptor: STDERR_FILENO)

    package init(descriptor: Int32) { self.descriptor = descriptor }

    package func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }
}
