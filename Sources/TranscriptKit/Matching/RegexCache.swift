import Foundation
import PCRE2

/// Compiled whole-line patterns by source text, so that a line pattern used by many commands
/// (or a `{{$VAR}}` line seen again with the same value) is compiled and JIT-compiled once.
final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: Regex] = [:]
    /// Beyond this many entries the cache starts over, bounding memory for runs with many values.
    private let limit = 20_000

    /// The compiled `pattern`, compiling it on first use (whole-line matching unless told otherwise).
    func regex(_ pattern: String, options: Regex.Options = .wholeLine) throws(RegexError) -> Regex {
        let key = options == .wholeLine ? pattern : "\(options.rawValue):" + pattern
        lock.lock()
        let hit = compiled[key]
        lock.unlock()
        if let hit { return hit }
        let regex = try Regex(pattern, options: options, jit: true)
        lock.lock()
        if compiled.count >= limit { compiled.removeAll(keepingCapacity: true) }
        compiled[key] = regex
        lock.unlock()
        return regex
    }
}
