import Foundation

/// A directory a file's shell sees empty (a private tmpfs over it), but for the paths under it
/// that it may still use, bound back at the same place: e.g. the engines' runtime root, in
/// which a file sees its own engine's directory and no other.
package struct CoveredDirectory: Sendable, Hashable {
    /// The directory covered (created first where it does not exist yet, so that nothing made in
    /// it later shows through).
    package var path: String
    /// Paths under `path` (directories) shown as they are.
    package var kept: [String]

    package init(path: String, kept: [String] = []) {
        self.path = path
        self.kept = kept
    }

    /// `directories` merged: one entry per path, with every path any of them keeps.
    package static func merged(_ directories: [CoveredDirectory]) -> [CoveredDirectory] {
        var order: [String] = []
        var kept: [String: [String]] = [:]
        for directory in directories {
            if kept[directory.path] == nil { order.append(directory.path) }
            for path in directory.kept where !(kept[directory.path] ?? []).contains(path) {
                kept[directory.path, default: []].append(path)
            }
            if kept[directory.path] == nil { kept[directory.path] = [] }
        }
        return order.map { CoveredDirectory(path: $0, kept: kept[$0] ?? []) }
    }
}

/// The mount namespace a file's shell runs in when some paths are covered for it, where the
/// shell is not started by `DirectSpawn` (which makes the same mounts in the child itself):
/// `unshare` makes the namespace in the shell's own process and execs bash, which makes the
/// mounts and execs the shell under its usual name, so the PID, session and descriptors stay
/// the ones the harness set up. One namespace and one short script per file.
package enum MountIsolation {
    /// The descriptors the script opens kept directories on before covering their parent (above
    /// the shell's own 0-3, closed again before the shell starts): single digits, as /bin/sh
    /// takes them.
    static let firstKeptDescriptor = 4
    static let keptDescriptors = 6

    /// Which shell runs the script: /bin/sh starts faster than bash, and will do where each
    /// covered directory keeps at most `keptDescriptors` paths (bash takes any descriptor) and
    /// the shell is found the same way by name (a PATH in `environment`), and every variable has
    /// a name /bin/sh passes on (dash drops others, such as bash's exported functions,
    /// `BASH_FUNC_name%%`).
    package static func interpreter(covered: [CoveredDirectory], environment: [String: String]) -> Interpreter {
        let fits = covered.allSatisfy { $0.kept.count <= keptDescriptors }
        let plainNames = environment.keys.allSatisfy(isPlainName)
        return fits && plainNames && environment["PATH"] != nil && access("/bin/sh", X_OK) == 0 ? .posix : .bash
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// The script's shell and how it then starts the file's shell under its usual name (`$0`).
    package enum Interpreter: Sendable {
        /// /bin/sh, with $0 the shell's name as configured, looked up on the file's PATH.
        case posix
        /// bash, with $0 the name and $1 the resolved path.
        case bash

        var execLine: String {
            switch self {
            case .posix: "exec \"$0\""
            case .bash: "exec -a \"$0\" \"$1\""
            }
        }
    }

    /// The bash script that makes the mounts: first each mask (a bind mount of its value over its
    /// key, e.g. the host's /run/docker.sock), then each covered directory (a tmpfs) with its
    /// kept paths bound back through descriptors opened before the tmpfs hid them. Any failure
    /// exits 125 before the shell starts. `mount` is the mount program's path.
    package static func script(masks: [String: String], covered: [CoveredDirectory], mount: String,
                               interpreter: Interpreter = .bash) -> String {
        let mountProgram = ShellScript.quote(mount)
        var lines: [String] = []
        for (target, source) in masks.sorted(by: { $0.key < $1.key }) {
            lines.append("\(mountProgram) --bind \(ShellScript.quote(source)) \(ShellScript.quote(target)) || exit 125")
        }
        for directory in covered {
            let path = ShellScript.quote(directory.path)
            let kept = directory.kept.filter { isUnder($0, directory.path) }
            lines.append("[ -d \(path) ] || mkdir -p \(path) || exit 125")
            for (offset, keep) in kept.enumerated() {
                lines.append("exec \(firstKeptDescriptor + offset)<\(ShellScript.quote(keep)) || exit 125")
            }
            lines.append("\(mountProgram) -t tmpfs -o mode=0755 transcript-covered \(path) || exit 125")
            for (offset, keep) in kept.enumerated() {
                let descriptor = firstKeptDescriptor + offset
                // -c: the source stays /proc/self/fd/N, which the kernel follows to the directory
                // opened above (its name now leads into the tmpfs).
                lines.append("mkdir -p \(ShellScript.quote(keep)) && \(mountProgram) -c --bind /proc/self/fd/\(descriptor) \(ShellScript.quote(keep)) || exit 125")
                lines.append("exec \(descriptor)<&-")
            }
        }
        lines.append(interpreter.execLine)
        return lines.joined(separator: "\n")
    }

    /// Whether `path` lies strictly under `directory`.
    static func isUnder(_ path: String, _ directory: String) -> Bool {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) && path.count > prefix.count
    }

    /// Whether this process may make mount namespaces: root with CAP_SYS_ADMIN in effect (not
    /// so in a container without it), and `unshare` and `mount` on the system search path. Read
    /// from /proc once per run, without starting a process.
    package static let isPossible: Bool = {
        guard geteuid() == 0 else { return false }
        let searchPath = systemSearchPath(getenv("PATH").map { String(cString: $0) })
        guard findProgram("unshare", path: searchPath) != nil, findProgram("mount", path: searchPath) != nil else { return false }
        return hasSystemAdministration(status: (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? "")
    }()

    /// Whether a /proc/PID/status text's effective capabilities include CAP_SYS_ADMIN (21).
    static func hasSystemAdministration(status: String) -> Bool {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << 21) != 0
    }
}
