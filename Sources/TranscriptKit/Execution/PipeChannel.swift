import Glibc

/// The shell's standard output, standard error and markers (`ShellScript.markerDescriptor`) all
/// on one pipe, so that their order is the order they were written in; commands read /dev/null.
package final class PipeChannel: Channel {
    /// The harness's end (non-blocking), -1 before `open()` and once the output has ended.
    private var readFD: Int32 = -1
    /// The shell's end, held from `open()` until the shell runs.
    private var writeFD: Int32 = -1
    /// The harness's end stays open (for `close()`) after the output has ended.
    private var ended = false

    package init() {}

    deinit { close() }

    package var framing: ChannelFraming { .markersInOutput }
    package var commandInput: CommandInput { .empty }
    package var outputDescriptor: Int32 { ended ? -1 : readFD }

    package func open() throws(ExecutionError) -> [ChannelEnd] {
        guard let ends = GlibcExtensions.makePipe() else {
            throw ExecutionError("cannot create a pipe for the shell: \(ShellSession.errorText(errno))")
        }
        // The shell's ends are moved to 0-3; keep them clear of those numbers until then.
        readFD = GlibcExtensions.aboveMarkerDescriptor(ends.read)
        writeFD = GlibcExtensions.aboveMarkerDescriptor(ends.write)
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        // Fewer wake-ups for commands that print a lot; refused above the system's maximum.
        _ = fcntl(readFD, GlibcExtensions.setPipeSize, 1 << 20)
        let output = ChannelEnd.Source.descriptor(writeFD)
        return [
            ChannelEnd(target: 1, source: output),
            ChannelEnd(target: 2, source: output),
            ChannelEnd(target: ShellScript.markerDescriptor, source: output),
        ]
    }

    package func shellStarted() {
        if writeFD >= 0 { Glibc.close(writeFD) }
        writeFD = -1
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> ChannelRead {
        guard !ended, readFD >= 0 else { return .ended }
        let count = Glibc.read(readFD, buffer.baseAddress, buffer.count)
        if count > 0 { return .bytes(count) }
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return .nothingYet }
        // The end (or a broken pipe): stop polling it, or poll() would report it forever.
        ended = true
        return .ended
    }

    package func pendingByteCount() -> Int? {
        guard !ended, readFD >= 0 else { return nil }
        var available: Int32 = 0
        guard ioctl(readFD, UInt(FIONREAD), &available) == 0 else { return nil }
        return Int(available)
    }

    package func close() {
        for fd in [readFD, writeFD] where fd >= 0 { Glibc.close(fd) }
        readFD = -1
        writeFD = -1
        ended = true
    }
}
