import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds the transcript files a run covers: files named on the command line as they are, and
/// every file a registered format reads (`*.md`) below a named directory (hidden directories and
/// build folders skipped), sorted.
///
/// Symbolic links are followed, but each real file (device and inode) runs once and each real
/// directory is searched once, so a link back up the tree (`a/up -> ..`) or to itself never loops.
/// A file reached by several names runs under the name found first without a link (else the
/// first in order). The links not followed are named on standard error (`note`).
package enum Discovery {
    /// The files to run, or the diagnostics for paths that do not exist. Links not followed are
    /// told to `note`, one line each.
    package static func files(for paths: [String],
                              note: (String) -> Void = { OutputStream.standardError.write("transcript: \($0)\n") })
        -> Result<[String], Diagnostics> {
        var files: [String] = []
        var problems: [Diagnostic] = []
        var seen = Set<FileIdentity>()
        for path in paths {
            guard let identity = FileIdentity(path) else {
                problems.append(Diagnostic(file: path, line: 0, column: 0, message: "no such file or directory",
                                           help: "name a transcript (\(extensions)) or a directory that holds some"))
                continue
            }
            if identity.isDirectory {
                var walk = Walk()
                walk.search(path)
                walk.notes.forEach(note)
                for (file, fileIdentity) in walk.found where seen.insert(fileIdentity).inserted { files.append(file) }
            } else if seen.insert(identity).inserted {
                files.append(path)
            }
        }
        return problems.isEmpty ? .success(files) : .failure(Diagnostics(problems))
    }

    /// The registered formats' extensions, each once, for messages: ".md, .t".
    private static var extensions: String {
        var seen = Set<String>()
        return DocumentFormats.all.flatMap(\.fileExtensions).filter { seen.insert($0).inserted }.map { "." + $0 }.joined(separator: ", ")
    }

    /// Whether a file found in a directory can hold a session at all, as its format tells; prose
    /// beside transcripts (a README) is not reported as a skipped transcript. Files named on the
    /// command line are always run.
    static func mayHoldSessions(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return true }
        let text = String(decoding: data, as: UTF8.self)
        return DocumentFormats.format(for: path, text: text).mayHoldSessions(text)
    }

    /// The files below `directory` that a registered format reads and that may hold sessions
    /// (each real file once; links not followed are not told).
    static func documentFiles(in directory: String) -> [String] {
        var walk = Walk()
        walk.search(directory)
        return walk.found.map(\.path)
    }
}

/// A file's identity on this machine: device and inode (of what a link points to).
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    var isDirectory: Bool

    /// The identity of what `path` names (links followed), or nil when it cannot be reached.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isDirectory = info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether `path` itself is a symbolic link.
    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}

/// One search of a directory tree: real directories first, then those reached through links,
/// each real directory once.
struct Walk {
    /// The links not followed, one line each.
    private(set) var notes: [String] = []
    /// The files found, sorted by path, each real file once.
    private(set) var found: [(path: String, identity: FileIdentity)] = []
    private var searched = Set<FileIdentity>()
    /// Candidates: path, identity, whether a link led to it.
    private var candidates: [(path: String, identity: FileIdentity, viaLink: Bool)] = []

    /// Searches `directory` and fills `found`.
    mutating func search(_ directory: String) {
        let root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        var real = [root]
        // Directories a link led to (or below one), searched after every real one.
        var linked: [String] = []
        while true {
            let current: String
            let viaLink: Bool
            if let next = real.popLast() {
                (current, viaLink) = (next, false)
            } else if !linked.isEmpty {
                (current, viaLink) = (linked.removeFirst(), true)
            } else {
                break
            }
            guard let identity = FileIdentity(current) else { continue }
            guard searched.insert(identity).inserted else {
                if FileIdentity.isLink(current) {
                    notes.append("not followed: \(current) -> \(linkTarget(current)) (a directory already searched)")
                }
                continue
            }
            for entry in entries(of: current) {
                let full = current == "." ? entry : current + "/" + entry
                let isLink = FileIdentity.isLink(full)
                guard let found = FileIdentity(full) else {
                    let reason = String(cString: strerror(errno))
                    if isLink { notes.append("not followed: \(full) -> \(linkTarget(full)) (\(reason))") }
                    continue
                }
                if found.isDirectory {
                    if entry == "node_modules" { continue }
                    if isLink || viaLink { linked.append(full) } else { real.append(full) }
                } else if DocumentFormats.isCandidate(entry) {
                    candidates.append((full, found, isLink || viaLink))
                }
            }
        }
        choose()
    }

    /// The entries of `directory`, hidden ones left out, sorted.
    private func entries(of directory: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// For each real file, its name without a link if it has one, else its first; sorted.
    private mutating func choose() {
        var taken: [FileIdentity: String] = [:]
        let ordered = candidates.sorted { ($0.viaLink ? 1 : 0, $0.path) < ($1.viaLink ? 1 : 0, $1.path) }
        for candidate in ordered {
            if let first = taken[candidate.identity] {
                if FileIdentity.isLink(candidate.path) {
                    notes.append("not followed: \(candidate.path) -> \(linkTarget(candidate.path)) (the same file as \(first))")
                }
                continue
            }
            taken[candidate.identity] = candidate.path
            if Discovery.mayHoldSessions(candidate.path) { found.append((candidate.path, candidate.identity)) }
        }
        found.sort { $0.path < $1.path }
    }

    /// What the link at `path` says, for notes.
    private func linkTarget(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    }
}
