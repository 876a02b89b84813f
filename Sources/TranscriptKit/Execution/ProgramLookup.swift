#if canImport(Glibc)
import Glibc
#endif

/// The full path of a program found on `path` (a PATH value), if any: `name` itself when it
/// contains a slash and is executable, else the first executable regular file of that name.
package func findProgram(_ name: String, path: String) -> String? {
    if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        var info = stat()
        if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// `path` followed by the directories a non-login root PATH may lack: where daemons and
/// system tools are looked for.
package func systemSearchPath(_ path: String?) -> String {
    ((path.map { [$0] } ?? []) + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])
        .joined(separator: ":")
}
