import Foundation

/// Where a report links a line of a document: the `[report] source_url` of the file's
/// configuration with `{path}` (relative to that `transcript.toml`'s folder) and `{line}` filled
/// in; otherwise the file itself, relative to the report's folder (`../docs/page.md#L12`), or
/// its `file://` URL when the report has no file.
struct SourceLinks: Sendable {
    /// The folder the report is written to (absolute), nil when it goes to a stream.
    let reportDirectory: String?
    let workingDirectory: String

    init(reportPath: String?, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.workingDirectory = workingDirectory
        reportDirectory = reportPath.map { path in
            (Self.absolute(path, in: workingDirectory) as NSString).deletingLastPathComponent
        }
    }

    /// The link to `line` of the file at `path` (as reports name it).
    func url(path: String, line: Int, configuration: Configuration?) -> String {
        let file = Self.absolute(path, in: workingDirectory)
        if let template = configuration?.sourceURL, let configurationPath = configuration?.path {
            let root = (Self.absolute(configurationPath, in: workingDirectory) as NSString).deletingLastPathComponent
            if file.hasPrefix(root + "/") {
                return template.replacingOccurrences(of: "{line}", with: String(line))
                    .replacingOccurrences(of: "{path}", with: Self.encoded(String(file.dropFirst(root.count + 1))))
            }
        }
        guard let reportDirectory else { return URL(fileURLWithPath: file).absoluteString + "#L\(line)" }
        return Self.encoded(Self.relative(file, from: reportDirectory)) + "#L\(line)"
    }

    static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        return (joined as NSString).standardizingPath
    }

    /// `file` as a path relative to the folder `directory` (both absolute).
    static func relative(_ file: String, from directory: String) -> String {
        let target = file.split(separator: "/"), base = directory.split(separator: "/")
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        return (up + target[common...].map(String.init)).joined(separator: "/")
    }

    /// A path as a URL holds it: each character a path may not hold percent-encoded.
    static func encoded(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";?#[]")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
