import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How `update` and `record` write a document back, keeping what the file is besides its text.
///
/// - A symbolic link is written through: its target gets the new text and the link stays a link.
/// - The target's permission bits and owner (uid and gid) are kept.
/// - A file with more than one hard link is written in place, so that every name still shows
///   the same file (a write cut short there can leave it partly written, as any in-place write
///   can); any other file is replaced atomically (a temporary file beside it, renamed).
/// - A read-only file (no write bit for its owner, or one whoever runs may not write) is refused
///   unless `force` is given; `force` writes it and its mode stays as it was.
/// - Each failure says the system's reason (`Permission denied`, `Read-only file system`, ...).
package struct DocumentFile {
    /// The path the user named.
    package let path: String
    /// The file written: `path` with every symbolic link resolved.
    package let target: String
    /// The target's metadata, or nil when it does not exist yet (`record` creates it).
    package let existing: Metadata?

    /// What a rewrite keeps.
    package struct Metadata: Equatable {
        package var mode: mode_t
        package var owner: uid_t
        package var group: gid_t
        package var links: Int
    }

    /// The document at `path` as it is on disk, or the reason it cannot be written.
    package static func open(_ path: String) -> Result<DocumentFile, DocumentFileError> {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .success(DocumentFile(path: path, target: path, existing: nil)) }
            return .failure(DocumentFileError("cannot read \(path): " + reason()))
        }
        var target = path
        if info.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                return .failure(DocumentFileError("cannot follow the symbolic link \(path): " + reason()))
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &info) == 0 else { return .failure(DocumentFileError("cannot read \(target): " + reason())) }
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(DocumentFileError("\(path) is not a regular file")) }
        let metadata = Metadata(mode: info.st_mode & 0o7777, owner: info.st_uid, group: info.st_gid, links: Int(info.st_nlink))
        return .success(DocumentFile(path: path, target: target, existing: metadata))
    }

    /// Why the document may not be written without `--force`, or nil.
    package var readOnlyReason: String? {
        guard let existing else { return nil }
        if existing.mode & S_IWUSR == 0 {
            return "\(path) is read-only (mode \(String(format: "%04o", Int(existing.mode)))); give --force to write it anyway"
        }
        // A read-only file system is no question of permission: writing says so itself.
        if access(target, W_OK) != 0, errno != EROFS {
            return "\(path) is not writable (\(Self.reason())); give --force to write it anyway"
        }
        return nil
    }

    /// A note on what writing does beyond replacing the text (hard links), or nil.
    package var note: String? {
        guard let existing, existing.links > 1 else { return nil }
        return "\(path) has \(existing.links) hard links: written in place, so that all of them show the update"
    }

    /// Writes `text`: refuses a read-only file unless `force`, keeps mode, owner and links.
    package func write(_ text: String, force: Bool) throws {
        if !force, let readOnly = readOnlyReason { throw DocumentFileError(readOnly) }
        guard let existing else {
            try AtomicFile.write(text, to: target, mode: 0o644 & ~Self.umaskValue)
            return
        }
        if existing.links > 1 {
            try Self.writeInPlace(text, to: target)
            return
        }
        do {
            try AtomicFile.write(text, to: target, mode: existing.mode, owner: (existing.owner, existing.group))
        } catch let error as AtomicFileError where error.ownerNotKept {
            // Not allowed to give a new file this owner: writing in place keeps it.
            try Self.writeInPlace(text, to: target)
        }
    }

    /// Overwrites the file at `path` in place (its inode, links, mode and owner stay).
    static func writeInPlace(_ text: String, to path: String) throws {
        let descriptor = Glibc.open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { throw DocumentFileError("cannot open \(path) for writing: " + reason()) }
        defer { close(descriptor) }
        if let problem = AtomicFile.writeAll(Array(text.utf8), to: descriptor) {
            throw DocumentFileError("cannot write \(path): " + problem)
        }
    }

    /// The process's umask, for a file created anew.
    static var umaskValue: mode_t {
        let current = umask(0o022)
        umask(current)
        return current
    }

    /// The system's reason for the last failed call.
    static func reason() -> String {
        String(cString: strerror(errno))
    }
}

/// Why a document was not written.
package struct DocumentFileError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }

    init(_ message: String) {
        self.message = message
    }
}
