import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `--color auto|always|never`: when the human outputs may use colour.
package enum ColorChoice: String, CaseIterable, Sendable {
    /// On a terminal, unless NO_COLOR is set (and not empty) or TERM is `dumb`.
    case auto
    /// Always, even into a pipe or a file (and whatever NO_COLOR says: the flag is explicit).
    case always
    /// Never.
    case never
}

/// Whether a report may use colour: by default only on a terminal, never with NO_COLOR.
package struct Style: Sendable {
    package var color: Bool
    /// Whether the output is a terminal (TERM not `dumb`), where a progress line may be drawn
    /// in place: the colour choice does not change it.
    package var terminal: Bool

    package init(color: Bool, terminal: Bool = false) {
        self.color = color
        self.terminal = terminal
    }

    /// The style `choice` gives for output written to `descriptor` (standard output unless
    /// told): `auto` colours when it is a terminal, NO_COLOR is unset (or empty) and TERM is not
    /// `dumb`.
    package static func detect(environment: [String: String], choice: ColorChoice = .auto,
                               descriptor: Int32 = STDOUT_FILENO) -> Style {
        let terminal = isatty(descriptor) == 1 && environment["TERM"] != "dumb"
        switch choice {
        case .always: return Style(color: true, terminal: terminal)
        case .never: return Style(color: false, terminal: terminal)
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return Style(color: terminal && !noColor, terminal: terminal)
        }
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
