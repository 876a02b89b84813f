import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A report fed with each file's outcome, in file order, and closed with the totals.
package protocol Report: AnyObject, Sendable {
    func add(_ outcome: FileOutcome)
    func finish(_ summary: Summary)
    /// Called once before the first file runs, with how many will.
    func start(total: Int, environment: [String: String])
    /// What hears of each command while files run, when the report shows it live.
    var observer: (any RunObserver)? { get }
}

extension Report {
    package func start(total: Int, environment: [String: String]) {}
    package var observer: (any RunObserver)? { nil }
}

/// Where a report's text goes: standard output as it comes, or a file written once at the end
/// (atomically, so a reader never sees half a report).
package final class ReportSink: @unchecked Sendable {
    private let lock = NSLock()
    private let stream: OutputStream?
    private let path: String?
    private var buffer = ""

    package init(stream: OutputStream) {
        self.stream = stream
        self.path = nil
    }

    package init(path: String) {
        self.stream = nil
        self.path = path
    }

    package func write(_ text: String) {
        if let stream {
            stream.write(text)
        } else {
            lock.lock()
            buffer += text
            lock.unlock()
        }
    }

    /// The file a file sink writes, nil for a stream.
    package var filePath: String? { path }

    /// Why a file sink's text could not be written, once `close()` has tried.
    package private(set) var failure: String?

    /// Writes a file sink's text; returns an error message if it could not (kept in `failure`).
    @discardableResult
    package func close() -> String? {
        guard let path else { return nil }
        lock.lock()
        defer { lock.unlock() }
        do {
            try AtomicFile.write(buffer, to: path)
            return nil
        } catch {
            failure = "cannot write the report \(path): \(error)"
            return failure
        }
    }

    /// Why a report could not be written at `path`, found before the run: its folder cannot be
    /// made, or no file can be created in it (as the report itself will be), or the path is a
    /// folder. Nil when it can.
    package static func problem(writing path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "cannot write the report \(path): it is a directory"
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var ancestor = directory
        while !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory), ancestor.count > 1 {
            ancestor = URL(fileURLWithPath: ancestor).deletingLastPathComponent().path
        }
        if !isDirectory.boolValue {
            return "cannot write the report \(path): \(ancestor): " + String(cString: strerror(ENOTDIR))
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            return "cannot write the report \(path): cannot create \(directory): \(AtomicFile.reason(error))"
        }
        let probe = directory + "/.transcript-report-probe.\(getpid()).tmp"
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return "cannot write the report \(path): " + String(cString: strerror(errno)) }
        Glibc.close(descriptor)
        unlink(probe)
        return nil
    }
}

/// Writes files through a temporary file in the same directory and a rename. Each failure
/// says the system's reason.
package enum AtomicFile {
    /// The system's reason in a file error (errno's text where Foundation gives one).
    static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(code))) }
        return (error as NSError).localizedDescription
    }

    /// Writes `text` to `path`, giving the new file `mode` and `owner` (uid, gid) when given.
    package static func write(_ text: String, to path: String, mode: mode_t? = nil,
                              owner: (uid_t, gid_t)? = nil) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let named = (path as NSString).deletingLastPathComponent
            throw AtomicFileError(message: "cannot create a temporary file in \(named.isEmpty ? "." : named): "
                                  + String(cString: strerror(errno)))
        }
        var failure: AtomicFileError?
        if let problem = writeAll(Array(text.utf8), to: descriptor) {
            failure = AtomicFileError(message: "cannot write \(temporary): \(problem)")
        } else if let mode, fchmod(descriptor, mode) != 0 {
            failure = AtomicFileError(message: "cannot set the mode of \(temporary): \(String(cString: strerror(errno)))")
        } else if let owner, fchown(descriptor, owner.0, owner.1) != 0 {
            failure = AtomicFileError(message: "cannot keep the owner \(owner.0):\(owner.1): \(String(cString: strerror(errno)))",
                                      ownerNotKept: true)
        } else if fsync(descriptor) != 0 {
            failure = AtomicFileError(message: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 {
            failure = AtomicFileError(message: "cannot replace \(path): \(String(cString: strerror(errno)))")
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Writes every byte of `bytes` to `descriptor`; the system's reason when it cannot.
    package static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += written
        }
        return nil
    }
}

package struct AtomicFileError: Error, CustomStringConvertible {
    package var message: String
    /// The file could be written but not given its owner (only root may give files away).
    package var ownerNotKept = false
    package var description: String { message }
}

/// Plain-text pieces shared by the machine-readable reports.
enum ReportText {
    /// A failing or diverging block's commands and diffs, without colour.
    static func details(_ block: BlockOutcome, _ outcome: FileOutcome) -> String {
        DiffRendering().plainText(block, path: block.path(in: outcome))
    }

    /// A name for a block: `path:line`, with its heading when it has one, and `[ENGINE]` in a matrix run.
    static func name(_ block: BlockOutcome, _ outcome: FileOutcome) -> String {
        runLabel((block.isSetup ? "setup: " : "") + "\(block.path(in: outcome)):\(block.line)" + (block.heading.map { " \($0)" } ?? ""),
                 engine: outcome.matrixEngine)
    }

    /// The Markdown line of the first expected line that did not match, else the command's line.
    static func failureLine(_ block: BlockOutcome) -> Int {
        for command in block.commands where command.status == .failed {
            return command.match?.firstMismatchLine ?? command.line
        }
        return block.line
    }
}
