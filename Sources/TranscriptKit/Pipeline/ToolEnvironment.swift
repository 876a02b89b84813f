import Foundation

/// The environment cram (or prysk, or scrut) gives a test, for a file run with `environment=`: TESTDIR,
/// TESTFILE and TESTSHELL; `cramtests` (`prysk-tests`) in the file's temporary directory as
/// CRAMTMP (PRYSK_TEMP), named as the tool names it, with TMPDIR, TEMP and TMP in its `tmp`; the working directory `$CRAMTMP/<file name>`; the C locale, TZ=GMT,
/// COLUMNS=80, and CDPATH and GREP_OPTIONS empty. scrut's is the same but for the directories:
/// the file's temporary directory is the working one, with TMPDIR its `__tmp`; SCRUT_TEST is
/// set per command (`ScrutCase.wrapping`).
struct ToolEnvironment {
    var style: EnvironmentStyle
    /// The test file's absolute path.
    var file: String
    /// The file's temporary directory.
    var directory: String
    var shell: String

    /// Sets the variables and makes the directories; the working directory, or nil when a
    /// directory cannot be made.
    func prepare(_ environment: inout [String: String]) -> String? {
        let name = (file as NSString).lastPathComponent
        // scrut: the file's directory is the working one, its temporary one `__tmp` in it.
        let root = directory + (style == .prysk ? "/prysk-tests" : style == .scrut ? "" : "/cramtests")
        let temporary = root + (style == .scrut ? "/__tmp" : "/tmp")
        let working = style == .scrut ? directory : root + "/" + name
        for path in [root, temporary, working] where mkdir(path, 0o700) != 0 && errno != EEXIST { return nil }
        if style != .scrut { environment[style == .prysk ? "PRYSK_TEMP" : "CRAMTMP"] = root }
        environment["TESTDIR"] = (file as NSString).deletingLastPathComponent
        environment["TESTFILE"] = name
        environment["TESTSHELL"] = shell
        for key in ["TMPDIR", "TEMP", "TMP"] { environment[key] = temporary }
        for key in ["LANG", "LC_ALL", "LANGUAGE"] { environment[key] = "C" }
        environment["TZ"] = "GMT"
        environment["CDPATH"] = ""
        environment["COLUMNS"] = "80"
        environment["GREP_OPTIONS"] = ""
        environment["PWD"] = working
        return working
    }
}

extension Array where Element == UInt8 {
    /// The bytes with every occurrence of `target` (not empty) replaced by `replacement`.
    func replacingBytes(_ target: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard !target.isEmpty, count >= target.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var index = 0
        while index < count {
            if self[index] == target[0], index + target.count <= count, self[index..<(index + target.count)].elementsEqual(target) {
                out += replacement
                index += target.count
            } else {
                out.append(self[index])
                index += 1
            }
        }
        return out
    }
}
