import Glibc

/// Cutting the output into commands at their markers (`ShellScript`): each marker ends the
/// running command with its status.
extension ShellSession {
    /// Takes output as read: held bytes first, then `bytes`, split at markers among the commands.
    func absorb(_ bytes: UnsafeRawBufferPointer, _ progress: inout BatchProgress) {
        if held.isEmpty {
            let used = parse(bytes, &progress)
            if used < bytes.count { held.append(contentsOf: bytes[used...]) }
        } else {
            var all = held
            held = []
            all.append(contentsOf: bytes)
            let used = all.withUnsafeBytes { parse($0, &progress) }
            if used < all.count { held = used == 0 ? all : Array(all[used...]) }
        }
    }

    /// Gives `buffer` to the running commands, finishing one at each marker; returns how many
    /// bytes it used. It stops at a marker not complete yet and after the batch's last marker.
    func parse(_ buffer: UnsafeRawBufferPointer, _ progress: inout BatchProgress) -> Int {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return 0 }
        var position = 0
        while position < count, progress.current < progress.count {
            guard let found = memchr(base + position, 0x1E, count - position) else {
                progress.deliver(UnsafeRawBufferPointer(rebasing: buffer[position..<count]))
                return count
            }
            let start = base.distance(to: UnsafeRawPointer(found))
            if start > position { progress.deliver(UnsafeRawBufferPointer(rebasing: buffer[position..<start])) }
            position = start
            switch marker(in: buffer, at: start) {
            case .incomplete:
                return start
            case .none:
                progress.deliver(UnsafeRawBufferPointer(rebasing: buffer[start..<start + 1]))
                position = start + 1
            case .marker(let number, let status, let background, let end):
                position = end
                guard number == progress.firstNumber + progress.current else { continue }
                takeTerminalOutput(&progress, shellEnded: false)
                if let background, background != lastBackgroundTold { noteBackground(background) }
                progress.finish(status, at: ContinuousClock.now)
            }
        }
        return position
    }

    enum MarkerScan {
        /// `background`: the shell's `$!` then, where the line writes it (bash).
        case marker(number: Int, status: Int32, background: pid_t?, end: Int)
        case incomplete
        case none
    }

    /// Whether `buffer` holds a marker at `start` (where a byte 036 is): " N S\n" or " N S B\n"
    /// after the prefix.
    func marker(in buffer: UnsafeRawBufferPointer, at start: Int) -> MarkerScan {
        let prefixEnd = start + markerPrefix.count
        let available = min(buffer.count, prefixEnd)
        for index in start..<available where buffer[index] != markerPrefix[index - start] { return .none }
        if available < prefixEnd { return .incomplete }
        // " NUMBER STATUS\n", or " NUMBER STATUS BACKGROUND\n"
        var index = prefixEnd
        // The first two fields, and how many there were (no array: this runs for every command).
        var fields = (0, 0, 0)
        var fieldCount = 0
        var value = 0
        var digits = 0
        while true {
            guard index < buffer.count else { return index - prefixEnd > 40 ? .none : .incomplete }
            let byte = buffer[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                if index > prefixEnd {
                    guard digits > 0 else { return .none }
                    switch fieldCount {
                    case 0: fields.0 = value
                    case 1: fields.1 = value
                    default: fields.2 = value
                    }
                    fieldCount += 1
                } else if byte != UInt8(ascii: " ") {
                    return .none
                }
                value = 0
                digits = 0
                if byte == UInt8(ascii: "\n") { break }
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 18 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return .none
            }
            index += 1
        }
        guard fieldCount == 2 || fieldCount == 3 else { return .none }
        let background = fieldCount == 3 ? pid_t(truncatingIfNeeded: fields.2) : nil
        return .marker(number: fields.0, status: Int32(truncatingIfNeeded: fields.1), background: background, end: index + 1)
    }
}

extension ShellSession {
    /// The shell told a new `$!`: kept as this process sees it. In the shell's own PID namespace,
    /// that is the shell's child with that PID there; if it has already gone, the last PID handed
    /// out so far stands for it (a boundary no later than what the commands after it start).
    func noteBackground(_ told: pid_t) {
        lastBackgroundTold = told
        guard ownPIDNamespace, let shell = startedID else {
            lastBackgroundPID = told
            return
        }
        lastBackgroundPID = ProcessTree.child(of: shell, withInnerPID: told, floor: scanFloor())
            ?? ProcessTree.lastPID() ?? lastBackgroundPID
    }
}
