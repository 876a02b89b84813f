/// One command's output, kept up to a limit: the first bytes (the head) and the last bytes (the
/// tail, at most 64 KiB and at most half the limit); whatever falls between them is only counted.
/// Memory stays within the limit however much the command prints.
struct OutputBuffer {
    static let maximumTail = 64 << 10

    let headCapacity: Int
    let tailCapacity: Int
    private var head: [UInt8] = []
    /// A ring of `tailCapacity` bytes; `tailStart` is the oldest, `tailCount` how many are in use.
    private var tail: [UInt8] = []
    private var tailStart = 0
    private var tailCount = 0
    /// Every byte the command wrote.
    private(set) var totalBytes = 0

    init(limit: Int) {
        let limit = max(0, limit)
        tailCapacity = min(Self.maximumTail, limit / 2)
        headCapacity = limit - tailCapacity
    }

    var cutBytes: Int { totalBytes - head.count - tailCount }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        totalBytes += bytes.count
        var rest = bytes[...]
        if head.count < headCapacity {
            let taken = min(headCapacity - head.count, rest.count)
            if taken == headCapacity - head.count, head.capacity < headCapacity + tailCapacity {
                // The head fills up: make room for the tail too, once, so that `kept()` need not
                // copy the head (and growth by doubling does not overshoot the limit).
                head.reserveCapacity(headCapacity + tailCapacity)
            }
            head.append(contentsOf: rest.prefix(taken))
            rest = rest.dropFirst(taken)
        }
        guard !rest.isEmpty, tailCapacity > 0 else { return }
        if tail.isEmpty { tail = [UInt8](repeating: 0, count: tailCapacity) }
        if rest.count >= tailCapacity {
            tail.withUnsafeMutableBytes { ring in
                ring.copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.suffix(tailCapacity)))
            }
            tailStart = 0
            tailCount = tailCapacity
            return
        }
        // Write after the newest byte, wrapping; once full, the oldest bytes are overwritten.
        var writeAt = (tailStart + tailCount) % tailCapacity
        tail.withUnsafeMutableBytes { ring in
            var source = rest
            while !source.isEmpty {
                let run = min(source.count, tailCapacity - writeAt)
                UnsafeMutableRawBufferPointer(rebasing: ring[writeAt..<writeAt + run])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(run)))
                source = source.dropFirst(run)
                writeAt = (writeAt + run) % tailCapacity
            }
        }
        let overflow = max(0, tailCount + rest.count - tailCapacity)
        tailCount = min(tailCapacity, tailCount + rest.count)
        tailStart = (tailStart + overflow) % tailCapacity
    }

    /// The kept bytes (head, then tail) and the index in them where `cutBytes` were left out.
    /// The buffer gives up its head: call it once, at the end.
    mutating func kept() -> (bytes: [UInt8], cutOffset: Int) {
        let headCount = head.count
        var bytes: [UInt8] = []
        swap(&bytes, &head)
        if tailCount > 0 {
            let firstRun = min(tailCount, tailCapacity - tailStart)
            bytes.append(contentsOf: tail[tailStart..<tailStart + firstRun])
            bytes.append(contentsOf: tail[0..<tailCount - firstRun])
        }
        tail = []
        return (bytes, headCount)
    }
}
