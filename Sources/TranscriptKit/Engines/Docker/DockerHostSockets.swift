import Foundation

/// Keeps a file's shell away from the host's Docker engine, whatever its commands do to their
/// environment: `sudo docker ...` (sudo drops `DOCKER_HOST`), `env -u DOCKER_HOST docker ...` or
/// `docker -H unix:///var/run/docker.sock ...` would otherwise reach the engine at the default
/// socket. Where such a socket exists (and the harness is root), the shell runs in a mount
/// namespace of its own in which the socket is the file's private engine (so `sudo docker` works
/// as the document means), or /dev/null for a file without one.
package enum DockerHostSockets {
    /// The host's Docker sockets at their default places, each once where it really is
    /// (/var/run is usually a link to /run); looked for once per run, and none unless root.
    package static let paths: [String] = {
        guard geteuid() == 0 else { return [] }
        var found: [String] = []
        for path in ["/run/docker.sock", "/var/run/docker.sock"] {
            let real = (path as NSString).resolvingSymlinksInPath
            var info = stat()
            guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK, !found.contains(real) else { continue }
            found.append(real)
        }
        return found
    }()

    /// The masks for a file: `engineSocket` is its private engine's socket, nil when it has none.
    /// Empty when there is nothing to cover.
    package static func masks(engineSocket: String?) -> [String: String] {
        Dictionary(uniqueKeysWithValues: paths.map { ($0, engineSocket ?? "/dev/null") })
    }
}

extension DockerHostSockets {
    /// The masks for a file in `mode` whose private engine (if any) listens on `engineSocket`:
    /// only for private runs, and only for files that speak of docker (`sudo docker` drops
    /// DOCKER_HOST and would reach the host's engine by its default socket).
    static func masks(mode: EngineMode, fileText: String, engineSocket: String?) -> [String: String] {
        guard mode == .private, !paths.isEmpty, fileText.contains(DockerEngineKind.name) else { return [:] }
        return masks(engineSocket: engineSocket)
    }
}
