import Glibc

/// A pseudo-terminal for one command: the harness keeps the master (non-blocking) and a
/// descriptor of the terminal side, so that the master never reads end-of-file while no command
/// has it open; the command opens the terminal side by its path (`/dev/pts/N`).
final class PseudoTerminal {
    /// The harness's side; -1 once closed.
    private(set) var master: Int32 = -1
    /// The terminal side, held open by the harness (close-on-exec, not a controlling terminal).
    private var held: Int32 = -1
    /// The terminal side's path, which the command's redirections open.
    let path: String

    /// The size the terminal reports: 80 columns, as `COLUMNS=80` says.
    static let columns: UInt16 = 80
    static let rows: UInt16 = 24

    private typealias OpenPT = @convention(c) (Int32) -> Int32
    private typealias OnMaster = @convention(c) (Int32) -> Int32
    private typealias PTSName = @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32

    /// The C library's calls, which Swift's Glibc module hides behind `_XOPEN_SOURCE`.
    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: type)
    }

    private static let openpt = symbol("posix_openpt", as: OpenPT.self)
    private static let grantpt = symbol("grantpt", as: OnMaster.self)
    private static let unlockpt = symbol("unlockpt", as: OnMaster.self)
    private static let ptsname = symbol("ptsname_r", as: PTSName.self)

    /// Opens a new pseudo-terminal (posix_openpt, grantpt, unlockpt).
    init() throws(ExecutionError) {
        guard let openpt = Self.openpt, let grantpt = Self.grantpt, let unlockpt = Self.unlockpt, let ptsname_r = Self.ptsname else {
            throw ExecutionError("cannot open a pseudo-terminal: the C library has no posix_openpt")
        }
        let fd = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw ExecutionError("cannot open a pseudo-terminal: \(ShellSession.errorText(errno))") }
        guard grantpt(fd) == 0, unlockpt(fd) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ExecutionError("cannot unlock a pseudo-terminal: \(ShellSession.errorText(code))")
        }
        var name = [CChar](repeating: 0, count: 128)
        guard ptsname_r(fd, &name, name.count) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ExecutionError("cannot name a pseudo-terminal: \(ShellSession.errorText(code))")
        }
        path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        held = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard held >= 0 else {
            let code = errno
            Glibc.close(fd)
            throw ExecutionError("cannot open \(path): \(ShellSession.errorText(code))")
        }
        master = GlibcExtensions.aboveMarkerDescriptor(fd)
        held = GlibcExtensions.aboveMarkerDescriptor(held)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var size = winsize(ws_row: Self.rows, ws_col: Self.columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    deinit { close() }

    /// One non-blocking read from the master: the bytes, empty when there is nothing now, nil at
    /// an error.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard master >= 0 else { return nil }
        let count = Glibc.read(master, buffer.baseAddress, buffer.count)
        if count >= 0 { return count }
        return errno == EAGAIN || errno == EINTR ? 0 : nil
    }

    /// Types `bytes` (as a keyboard would); returns false when the terminal takes them not all.
    @discardableResult
    func type(_ bytes: [UInt8]) -> Bool {
        var done = 0
        var attempts = 0
        while done < bytes.count, master >= 0, attempts < 1000 {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.write(master, raw.baseAddress.map { $0 + done }, raw.count - done)
            }
            if count > 0 {
                done += count
            } else if count < 0 && (errno == EAGAIN || errno == EINTR) {
                attempts += 1
                usleep(1_000)
            } else {
                return false
            }
        }
        return done == bytes.count
    }

    /// Closes both sides; safe to call more than once.
    func close() {
        for fd in [master, held] where fd >= 0 { Glibc.close(fd) }
        master = -1
        held = -1
    }
}
