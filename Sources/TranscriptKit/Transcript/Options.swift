/// Block and file options (FORMAT.md section 4). Every field is optional so that layers
/// (configuration file, `transcript-file` comment, block comment) can be merged: a set field wins.
package struct Options: Sendable, Hashable {
    /// `skip` (reason nil) or `skip="reason"`.
    package var skip: SkipReason?
    package var exact: Bool?
    package var ws: Bool?
    package var unordered: Bool?
    /// `timeout=DURATION`, per command.
    package var timeout: Duration?
    /// `requires=FEATURE,...`.
    package var requires: [Feature]?
    /// `diverges="reason"`.
    package var diverges: String?
    /// `diverges.ENGINE="reason"`, by engine name: on that engine it stands for `diverges=`.
    package var engineDiverges: [String: String]?
    package var ignoreExit: Bool?
    /// `examples=KIND,...` with `docker` already expanded; kinds are pattern names.
    package var examples: [String]?
    /// `terminal`: every command of the block runs under a pseudo-terminal (`TerminalPlan`).
    package var terminal: Bool?
    /// `background`: the block runs in a second shell while the next blocks run (`BackgroundBlock`).
    package var background: Bool?
    /// `as-written`: the document was written for readers, not for the harness (a command shown
    /// without output is checked for its exit status only; tables compare column by column).
    /// `examples=` implies it.
    package var asWritten: Bool?
    /// `skip-exit=N`: the shell ending with status N skips the whole file (cram's 80). File only.
    package var skipExit: Int32?
    /// `environment=cram|prysk`: the variables, directories and locale that tool gives its tests. File only.
    package var environment: EnvironmentStyle?
    /// `shell=PATH`: the shell of the file's session, over the configuration's. File only.
    package var shell: String?
    /// How expected lines are read and compared; set by a document's format (a cram `.t` file),
    /// never written as option text. Nil: the transcript's own rules.
    package var dialect: LineDialect?
    /// A scrut test case's configuration (its stream, environment, wait); set by the format, and
    /// its stream by `stream=`.
    package var scrutCase: ScrutCase?
    /// `crlf=lf`: each CR LF of the output reads as LF (`crlf=keep`: false, the default).
    package var crlfAsLF: Bool?

    package init() {}

    /// The kinds `examples=docker` stands for.
    package static let dockerExampleKinds = ["short-id", "id", "sha256", "ago", "human-size", "size", "status", "byte-count",
                                             "ls-date", "zoned-time", "timestamp", "percent", "cut-id"]

    /// These options with every unset field taken from `base`.
    package func merged(over base: Options) -> Options {
        var out = self
        out.skip = skip ?? base.skip
        out.exact = exact ?? base.exact
        out.ws = ws ?? base.ws
        out.unordered = unordered ?? base.unordered
        out.timeout = timeout ?? base.timeout
        out.requires = requires ?? base.requires
        out.diverges = diverges ?? base.diverges
        // Engine by engine: the block's reason for an engine wins over the file's for it.
        if let base = base.engineDiverges { out.engineDiverges = base.merging(engineDiverges ?? [:]) { $1 } }
        out.ignoreExit = ignoreExit ?? base.ignoreExit
        out.examples = examples ?? base.examples
        out.terminal = terminal ?? base.terminal
        out.background = background ?? base.background
        out.asWritten = asWritten ?? base.asWritten
        out.skipExit = skipExit ?? base.skipExit
        out.environment = environment ?? base.environment
        out.shell = shell ?? base.shell
        out.dialect = dialect ?? base.dialect
        out.scrutCase = scrutCase.map { $0.merged(over: base.scrutCase ?? ScrutCase()) } ?? base.scrutCase
        out.crlfAsLF = crlfAsLF ?? base.crlfAsLF
        return out
    }

    /// The options written back as option text, e.g. `ws timeout=30s requires=docker`.
    package var summary: String {
        var words: [String] = []
        if let skip { words.append(skip.reason.map { "skip=\"\($0)\"" } ?? "skip") }
        if exact == true { words.append("exact") }
        if ws == true { words.append("ws") }
        if unordered == true { words.append("unordered") }
        if let timeout { words.append("timeout=\(formatDuration(timeout))") }
        if let requires { words.append("requires=" + requires.map(\.description).joined(separator: ",")) }
        if let diverges { words.append("diverges=\"\(diverges)\"") }
        for (engine, reason) in (engineDiverges ?? [:]).sorted(by: { $0.key < $1.key }) {
            words.append("diverges.\(engine)=\"\(reason)\"")
        }
        if ignoreExit == true { words.append("ignore-exit") }
        if let examples { words.append("examples=" + examples.joined(separator: ",")) }
        if terminal == true { words.append("terminal") }
        if background == true { words.append("background") }
        if asWritten == true { words.append("as-written") }
        if let skipExit { words.append("skip-exit=\(skipExit)") }
        if let environment { words.append("environment=\(environment.rawValue)") }
        if let shell { words.append("shell=" + (shell.contains(" ") ? "\"\(shell)\"" : shell)) }
        if let stream = scrutCase?.stream { words.append("stream=" + stream.rawValue) }
        if let crlfAsLF { words.append(crlfAsLF ? "crlf=lf" : "crlf=keep") }
        return words.joined(separator: " ")
    }

    package var isExact: Bool { exact ?? false }
    package var isWhitespaceTolerant: Bool { ws ?? false }
    package var isUnordered: Bool { unordered ?? false }
    package var ignoresExit: Bool { ignoreExit ?? false }
    package var runsInTerminal: Bool { terminal ?? false }
    package var runsInBackground: Bool { background ?? false }
    /// Whether the document is read as written for readers: `as-written`, or any `examples=`.
    package var isAsWritten: Bool { asWritten ?? !(examples ?? []).isEmpty }

    /// The divergence in force on the engine called `engine` (nil: no engine): its own
    /// `diverges.ENGINE=`, else `diverges=`.
    package func divergence(on engine: String?) -> String? {
        engine.flatMap { engineDiverges?[$0] } ?? diverges
    }
}

/// The environment a test tool gives its tests (`environment=`), which a file converted from
/// its format keeps.
package enum EnvironmentStyle: String, Sendable, Hashable, CaseIterable {
    /// cram: TESTDIR, TESTFILE, TESTSHELL, CRAMTMP, TMPDIR under it, the working directory
    /// `$CRAMTMP/<name>`, TZ=GMT, LANG, LC_ALL and LANGUAGE C.
    case cram
    /// prysk: as cram, with PRYSK_TEMP for CRAMTMP.
    case prysk
    /// scrut: as cram, but the file's temporary directory stays the working one, with TMPDIR its
    /// `__tmp`, and SCRUT_TEST is each command's `PATH:LINE`.
    case scrut
}

/// How expected lines are read and compared.
package enum LineDialect: Sendable, Hashable {
    /// cram's: each line compared literally first, then by its `(re)`, `(glob)` or `(esc)`;
    /// regexes in Python's syntax over the line as cram displays it, `indent` spaces included.
    case cram(indent: Int)
    /// scrut's: `(equal)`, `(no-eol)`, `(escaped)`, `(glob)`, `(regex)` (and their short names),
    /// each with a quantifier `?`, `*` or `+`; CRLF read as LF unless `keepCRLF`.
    case scrut(keepCRLF: Bool)
}

/// Why a block is skipped (`skip` has no reason; `skip="..."` has one).
package struct SkipReason: Sendable, Hashable {
    package var reason: String?
    package init(_ reason: String?) { self.reason = reason }
}

/// A feature named by `requires=`.
package enum Feature: Sendable, Hashable, CustomStringConvertible {
    /// An engine this run may use, by its registered name (`docker`), with at least a server
    /// version when written `NAME>=VERSION`.
    case engine(name: String, atLeast: String?)
    case linux
    case root
    /// `network`: the commands can reach the network (a private engine never can).
    case network
    /// `cmd:NAME`, a program on PATH.
    case command(String)

    package var description: String {
        switch self {
        case .engine(let name, let version): return version.map { "\(name)>=\($0)" } ?? name
        case .linux: return "linux"
        case .root: return "root"
        case .network: return "network"
        case .command(let name): return "cmd:\(name)"
        }
    }

    /// The engine this feature asks for, if it is one.
    package var engineName: String? {
        if case .engine(let name, _) = self { return name }
        return nil
    }
}
