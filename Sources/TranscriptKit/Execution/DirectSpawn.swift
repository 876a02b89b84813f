import CSpawn
import Foundation
import Glibc

/// Starts a shell with the clone3 system call (the CSpawn module): born in its cgroup
/// (CLONE_INTO_CGROUP), so it never has to be moved there, and, when paths are masked or
/// covered for it, in a mount namespace the child makes itself with mount(2) before it execs the
/// shell: what `MountIsolation`'s script does, without starting unshare, a shell and mount.
/// With a mount namespace comes a PID namespace, the shell its PID 1 (`Request.newPIDNamespace`):
/// through /proc, a process of the file reaches no process outside it, and so neither the
/// harness's mount namespace (`/proc/PID/root`) nor another file's.
///
/// Where the kernel refuses (no clone3, no CLONE_INTO_CGROUP, no permission), the caller falls
/// back to posix_spawn; a refusal for want of the feature is remembered for the process.
enum DirectSpawn {
    /// What a start came to.
    enum Outcome {
        case started(pid_t)
        /// clone3 refused, with this errno: nothing started.
        case refused(Int32)
        /// The child failed before the shell ran (it has ended and been reaped).
        case failed(ExecutionError)
    }

    /// What to start: `program` with `arguments` and exactly `environment` (`NAME=value`), in
    /// `directory` (nil: the harness's), in the cgroup of the descriptor `cgroup`, with `ends`
    /// as its descriptors and every other from `closeFrom` up closed.
    struct Request {
        var program: String
        var arguments: [String]
        var environment: [String]
        var directory: String?
        var cgroup: Int32
        var ends: [ChannelEnd]
        var closeFrom: Int32
        /// Bind mounts, in order: each target shows its source.
        var masks: [(target: String, source: String)] = []
        var covered: [CoveredDirectory] = []
        /// The program is PID 1 of a PID namespace of its own, with that namespace's /proc.
        var newPIDNamespace = false
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var refusedForGood = false

    /// False once clone3 was refused for want of the feature (ENOSYS, EINVAL, EPERM, E2BIG).
    static var isUsable: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !refusedForGood
    }

    static func start(_ request: Request) -> Outcome {
        let arena = CArena()
        defer { arena.free() }
        let descriptors = arena.array(request.ends.map { end -> cspawn_descriptor in
            switch end.source {
            case .descriptor(let fd): cspawn_descriptor(target: end.target, source: fd, path: nil, flags: 0)
            case .path(let path, let flags): cspawn_descriptor(target: end.target, source: -1, path: arena.string(path), flags: flags)
            }
        })
        let masks = arena.array(request.masks.map { cspawn_mask(target: arena.string($0.target), source: arena.string($0.source)) })
        let covers = arena.array(request.covered.map { directory in
            let kept = directory.kept.filter { MountIsolation.isUnder($0, directory.path) }
            return cspawn_cover(path: arena.string(directory.path), kept: arena.constantVector(kept), kept_count: Int32(kept.count))
        })
        var cRequest = cspawn_request(
            program: arena.string(request.program), argv: arena.vector(request.arguments), envp: arena.vector(request.environment),
            directory: request.directory.flatMap(arena.string), cgroup_fd: request.cgroup,
            descriptors: descriptors, descriptor_count: Int32(request.ends.count), close_from: request.closeFrom,
            masks: masks, mask_count: Int32(request.masks.count), covers: covers, cover_count: Int32(request.covered.count),
            new_pid_namespace: request.newPIDNamespace ? 1 : 0)
        var outcome = cspawn_outcome()
        let pid = cspawn_start(&cRequest, &outcome)
        if pid > 0 { return .started(pid) }
        if outcome.step == Int32(CSPAWN_CLONE.rawValue) {
            if [ENOSYS, EINVAL, EPERM, E2BIG].contains(outcome.error) {
                lock.lock()
                refusedForGood = true
                lock.unlock()
            }
            return .refused(outcome.error)
        }
        return .failed(failure(outcome, request))
    }

    /// What the user reads when the child failed at `outcome.step`.
    static func failure(_ outcome: cspawn_outcome, _ request: Request) -> ExecutionError {
        let reason = ShellSession.errorText(outcome.error)
        let index = Int(outcome.index)
        let directory = index < request.covered.count ? request.covered[index] : nil
        let keptPaths = directory.map { directory in directory.kept.filter { MountIsolation.isUnder($0, directory.path) } } ?? []
        let kept = Int(outcome.kept) < keptPaths.count ? keptPaths[Int(outcome.kept)] : "?"
        let covered = directory?.path ?? "?"
        let mounting: String? = switch cspawn_step(rawValue: UInt32(outcome.step)) {
        case CSPAWN_PRIVATE_MOUNTS: "cannot make the shell's mounts private: \(reason)"
        case CSPAWN_MASK where index < request.masks.count:
            "cannot show \(request.masks[index].source) at \(request.masks[index].target): \(reason)"
        case CSPAWN_COVER_MAKE: "cannot make \(covered) to cover it: \(reason)"
        case CSPAWN_KEEP_OPEN: "cannot open \(kept), kept under \(covered): \(reason)"
        case CSPAWN_COVER_MOUNT: "cannot cover \(covered) with a tmpfs: \(reason)"
        case CSPAWN_KEEP_MAKE, CSPAWN_KEEP_BIND: "cannot show \(kept) again under the covered \(covered): \(reason)"
        case CSPAWN_PROC: "cannot mount a /proc of the shell's own PID namespace: \(reason)"
        case CSPAWN_LOCK: "cannot lock the shell's mounts in a namespace of their own: \(reason)"
        default: nil
        }
        if let mounting {
            return ExecutionError("cannot start \(request.program) with paths covered: \(mounting)", exitStatus: CSPAWN_MOUNT_FAILED)
        }
        return ExecutionError("cannot start \(request.program) in \(request.directory ?? "."): \(reason)")
    }
}

/// C memory for one call: strings, NULL-terminated vectors and arrays, all freed by `free()`.
final class CArena {
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var arrays: [UnsafeMutableRawPointer] = []

    func string(_ text: String) -> UnsafePointer<CChar>? {
        guard let copy = strdup(text) else { return nil }
        strings.append(copy)
        return UnsafePointer(copy)
    }

    /// `texts` as a NULL-terminated vector (argv, envp).
    func vector(_ texts: [String]) -> UnsafePointer<UnsafeMutablePointer<CChar>?>? {
        UnsafePointer(array(texts.map { UnsafeMutablePointer(mutating: string($0)) } + [nil]))
    }

    func constantVector(_ texts: [String]) -> UnsafePointer<UnsafePointer<CChar>?>? {
        UnsafePointer(array(texts.map { string($0) } + [nil]))
    }

    /// A copy of `elements` in C memory; nil for none.
    func array<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element>? {
        guard !elements.isEmpty else { return nil }
        let memory = UnsafeMutablePointer<Element>.allocate(capacity: elements.count)
        memory.initialize(from: elements, count: elements.count)
        arrays.append(UnsafeMutableRawPointer(memory))
        return memory
    }

    func free() {
        for string in strings { Glibc.free(string) }
        for array in arrays { array.deallocate() }
        strings.removeAll()
        arrays.removeAll()
    }
}
