import Foundation

/// The host's container engine sockets (Docker, containerd, Podman) at their default places and
/// under each user's runtime directory (`$XDG_RUNTIME_DIR`, /run/user/UID): in a private run
/// every file's shell sees them covered, whatever its text says, so that `sudo docker`,
/// `docker -H unix:///var/run/docker.sock`, a name built at run time or a client of its own
/// (python, curl) cannot reach the host's engines. A file's own engine shows at the sockets of
/// its kind; everything else shows /dev/null.
package enum HostEngineSockets {
    /// Where the engines listen as root, by engine name.
    static let defaultPaths: [(engine: String, path: String)] = [
        ("docker", "/run/docker.sock"), ("docker", "/var/run/docker.sock"),
        ("containerd", "/run/containerd/containerd.sock"), ("containerd", "/var/run/containerd/containerd.sock"),
        ("podman", "/run/podman/podman.sock"), ("podman", "/var/run/podman/podman.sock"),
    ]
    /// Where rootless engines listen, under a user's runtime directory.
    static let userPaths: [(engine: String, path: String)] = [
        ("docker", "docker.sock"), ("podman", "podman/podman.sock"),
    ]

    /// The sockets of this machine, each once where it really is (/var/run is usually a link to
    /// /run): looked for once per run, and none where the harness cannot make mount namespaces.
    package static let present: [(engine: String, path: String)] = {
        guard MountIsolation.isPossible else { return [] }
        return find(runtimeDirectories: runtimeDirectories(ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"]))
    }()

    /// The masks for a private run's file: every socket present shows /dev/null, but those of
    /// `engine`, which show `socket` (the file's own engine) when given.
    package static func masks(engine: String? = nil, socket: String? = nil) -> [String: String] {
        var masks: [String: String] = [:]
        for (kind, path) in present {
            masks[path] = kind == engine ? (socket ?? "/dev/null") : "/dev/null"
        }
        return masks
    }

    /// The sockets among the default places and each of `runtimeDirectories`' user places that
    /// exist, resolved and listed once.
    package static func find(runtimeDirectories: [String]) -> [(engine: String, path: String)] {
        var candidates = defaultPaths
        for directory in runtimeDirectories {
            candidates += userPaths.map { ($0.engine, directory + "/" + $0.path) }
        }
        var found: [(engine: String, path: String)] = []
        for (engine, path) in candidates {
            let real = (path as NSString).resolvingSymlinksInPath
            var info = stat()
            guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK, !found.contains(where: { $0.path == real }) else { continue }
            found.append((engine, real))
        }
        return found
    }

    /// `$XDG_RUNTIME_DIR` (when set) and every user's directory under /run/user.
    static func runtimeDirectories(_ own: String?) -> [String] {
        var directories = own.map { [$0] } ?? []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/run/user")) ?? [] {
            directories.append("/run/user/" + entry)
        }
        return directories
    }
}
