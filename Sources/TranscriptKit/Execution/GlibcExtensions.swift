import Glibc

/// GNU and Linux calls that Swift's Glibc module does not import (they sit behind `_GNU_SOURCE`),
/// looked up at run time so that an older C library only loses the convenience, not the build.
enum GlibcExtensions {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32

    /// `POSIX_SPAWN_SETSID` from glibc's spawn.h (2.26 and later).
    static let spawnSetSID: Int32 = 0x80
    /// `F_SETPIPE_SZ` from fcntl.h.
    static let setPipeSize: Int32 = 1031

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: type)
    }

    private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    private static let pidfdOpenFunction = symbol("pidfd_open", as: PidfdOpen.self)
    private static let addChdirFunction = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    private static let addCloseFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)
    private static let memfdCreateFunction = symbol("memfd_create", as: MemfdCreate.self)

    /// An anonymous regular file, read and write, close-on-exec: a memfd where the C library has
    /// them (glibc 2.27), otherwise a file in the temporary directory, unlinked at once.
    static func anonymousFile(named name: String) -> Int32? {
        if let create = memfdCreateFunction {
            let fd = name.withCString { create($0, 1 /* MFD_CLOEXEC */) }
            if fd >= 0 { return fd }
        }
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("\(name)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let path = buffer.baseAddress else { return -1 }
            let fd = mkstemp(path)
            if fd >= 0 { unlink(path) }
            return fd
        }
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// A pipe whose two ends are close-on-exec from the start, so that no shell spawned by another
    /// thread in the meantime inherits them. Returns (read end, write end).
    static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        if let pipe2 = pipe2Function {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            guard pipe(&fds) == 0 else { return nil }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// A new FIFO at `path` (mode 0600), opened for reading and writing, close-on-exec and
    /// non-blocking: the harness's open never waits, and the FIFO has a writer for as long as
    /// the descriptor is open. Nil (with errno, and no FIFO left) where it cannot be made.
    static func makeFIFO(at path: String) -> Int32? {
        guard mkfifo(path, 0o600) == 0 else { return nil }
        let fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            unlink(path)
            errno = code
            return nil
        }
        return fd
    }

    /// `fd`, moved above `ShellScript.markerDescriptor` (close-on-exec) if it is one of the numbers
    /// a shell's descriptors take at its spawn; as it was when it cannot be moved.
    static func aboveMarkerDescriptor(_ fd: Int32) -> Int32 {
        guard fd <= ShellScript.markerDescriptor else { return fd }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, ShellScript.markerDescriptor + 1)
        guard moved >= 0 else { return fd }
        close(fd)
        return moved
    }

    /// A descriptor that becomes readable when `pid` exits, or nil where the kernel has no pidfd.
    static func pidfdOpen(_ pid: pid_t) -> Int32? {
        guard let open = pidfdOpenFunction else { return nil }
        let fd = open(pid, 0)
        return fd >= 0 ? fd : nil
    }

    /// Whether `addChdir` is available.
    static var canAddChdir: Bool { addChdirFunction != nil }

    /// Adds a `chdir` to the spawn's file actions; false where glibc lacks it (before 2.29).
    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Bool {
        guard let add = addChdirFunction else { return false }
        return path.withCString { add(actions, $0) } == 0
    }

    /// Closes every descriptor from `lowest` up in the child; false where glibc lacks it (before 2.34).
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Bool {
        guard let add = addCloseFromFunction else { return false }
        return add(actions, lowest) == 0
    }

    /// Writing to a pipe whose reader died must fail with EPIPE, not kill the harness.
    static let ignoreBrokenPipe: Void = {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&action.sa_mask)
        _ = sigaction(SIGPIPE, &action, nil)
    }()
}
