import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks on the terminal, as `cram -i` does: `Accept this change? [y/N/q]`. Reads the answer from
/// /dev/tty, so that a command's standard input is never involved.
package final class TerminalPrompt: ChangePrompt {
    private let input: UnsafeMutablePointer<FILE>

    /// Opens /dev/tty; nil when standard input is not a terminal or the terminal cannot be opened.
    package init?() {
        guard isatty(STDIN_FILENO) == 1, let tty = fopen("/dev/tty", "r") else { return nil }
        input = tty
    }

    deinit { fclose(input) }

    package func ask(_ text: String) -> ChangeAnswer {
        OutputStream.standardOutput.write(text)
        while true {
            OutputStream.standardOutput.write("Accept this change? [y/N/q] ")
            var buffer = [CChar](repeating: 0, count: 256)
            guard fgets(&buffer, Int32(buffer.count), input) != nil else {
                OutputStream.standardOutput.write("\n")
                return .quit
            }
            let answer = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            switch answer {
            case "y", "yes": return .accept
            case "", "n", "no": return .skip
            case "q", "quit": return .quit
            default: continue
            }
        }
    }
}
