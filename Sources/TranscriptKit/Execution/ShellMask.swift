import Foundation

/// Keeps a file's shell away from the host's Docker engine, whatever its commands do to their
/// environment: `sudo docker ...` (sudo drops `DOCKER_HOST`), `env -u DOCKER_HOST docker ...` or
/// `docker -H unix:///var/run/docker.sock ...` would otherwise reach the engine at the default
/// socket. Where such a socket exists (and the harness is root), the shell runs in a mount
/// namespace of its own in which the socket is the file's private engine (so `sudo docker` works
/// as the document means), or /dev/null for a file without one.
package enum ShellMask {
    /// The default places of the Docker socket.
    static let hostSockets = ["/run/docker.sock", "/var/run/docker.sock"]

    /// The masks for a file: `engineSocket` is its private engine's socket, nil when it has none.
    /// Empty when there is nothing to cover (no socket at the default places) or nothing can be
    /// done about it (not root).
    package static func masks(engineSocket: String?) -> [String: String] {
        guard geteuid() == 0 else { return [:] }
        var masks: [String: String] = [:]
        var seen = Set<String>()
        for path in hostSockets {
            var info = stat()
            guard lstat(path, &info) == 0 || stat(path, &info) == 0 else { continue }
            // /var/run is usually a link to /run: cover the file once, where it really is.
            let real = (path as NSString).resolvingSymlinksInPath
            var target = stat()
            guard stat(real, &target) == 0, (target.st_mode & S_IFMT) == S_IFSOCK, seen.insert(real).inserted else { continue }
            masks[real] = engineSocket ?? "/dev/null"
        }
        return masks
    }

    /// `name` on the harness's PATH (or the usual places), if it is there.
    static func program(_ name: String) -> String? {
        let path = (getenv("PATH").map { String(cString: $0) } ?? "") + ":/usr/sbin:/usr/bin:/sbin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
