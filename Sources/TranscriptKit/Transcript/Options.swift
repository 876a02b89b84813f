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
