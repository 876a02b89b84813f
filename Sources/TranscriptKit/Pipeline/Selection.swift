import PCRE2

/// Which files and blocks a run covers: sharding by path and `--filter`.
package enum Selection {
    /// Whether `path` belongs to shard `index` (0-based) of `total`: a stable hash of the path,
    /// so adding a file never moves the others.
    package static func inShard(_ path: String, index: Int, total: Int) -> Bool {
        guard total > 1 else { return true }
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return Int(hash % UInt64(total)) == index
    }

    /// Whether the filter selects this file: by path, or by any block's heading.
    package static func selects(_ filter: Regex, path: String, transcript: Transcript?) -> Bool {
        if filter.matches(path) { return true }
        guard let transcript else { return false }
        return transcript.blocks.contains { block in block.heading.map { filter.matches($0) } ?? false }
    }

    /// Which blocks of `transcript` at `path` were chosen: by `filter` (the whole file when its
    /// path matches, else the blocks under a matching heading) and by `lines` (`file.md:LINE`:
    /// the block holding each line). Nil when neither applies: every block runs as usual.
    package static func chosen(_ transcript: Transcript, path: String, filter: Regex?, lines: Set<Int>?) -> [Bool]? {
        if filter == nil && lines == nil { return nil }
        return transcript.blocks.map { block in
            let byFilter = filter.map { keeps($0, block: block, path: path) } ?? true
            let byLine = lines.map { lines in lines.contains { block.openingLine <= $0 && $0 <= block.closingLine } } ?? true
            return byFilter && byLine
        }
    }

    /// Whether the filter keeps a block of a file whose path did not match: hidden sessions
    /// (setup) always run; others only under a matching heading.
    package static func keeps(_ filter: Regex, block: SessionBlock, path: String) -> Bool {
        if filter.matches(path) || block.isHidden { return true }
        return block.heading.map { filter.matches($0) } ?? false
    }
}
