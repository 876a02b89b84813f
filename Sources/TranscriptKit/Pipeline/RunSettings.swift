import PCRE2

/// Everything the command line decides about a run.
package struct RunSettings: Sendable {
    /// `--engine private|host` (or a kind's name, private), for every engine kind (see `EngineMode`).
    package typealias EngineMode = TranscriptKit.EngineMode

    /// Files run in parallel.
    package var jobs: Int = 1
    /// `--timeout`: wins over the configuration file, loses to file and block options.
    package var timeout: Duration?
    package var keepTemp = false
    package var verbose = false
    /// A block marked `diverges=` that now matches fails the run.
    package var strict = false
    package var engine: EngineMode = .private
    /// `--engines docker,podman` (or `--engine NAME`): the matrix every file runs on, over any
    /// configuration's `engines`; nil leaves it to the configuration.
    package var engines: [String]?
    /// Output kept per command.
    package var outputLimit = 16 << 20
    /// How much of a failing command's diff is kept (`DiffBounds`); nil keeps every line, as
    /// `update` needs to rewrite from it.
    package var diffBounds: DiffBounds? = DiffBounds()
    /// The harness's own environment, the base of every command's.
    package var environment: [String: String] = [:]
    /// `--color`: whether the human report (and update's diffs) may use colour.
    package var color: ColorChoice = .auto
    /// The report on standard output.
    package var format: ReportFormat = .pretty
    /// Further reports written to files (`--report FORMAT=PATH`).
    package var reports: [(format: ReportFormat, path: String)] = []

    /// `--filter`: files whose path matches run whole; elsewhere, only blocks under a matching heading.
    package var filter: Regex?
    /// `file.md:LINE` arguments (and `--last-failed`): per file as discovered, the lines whose
    /// blocks run (with the blocks before them as setup).
    package var lines: [String: Set<Int>] = [:]
    /// `--last-failed`: run what failed in the last run (`LastFailed`) under these paths (those
    /// named, or the current directory); nil without the flag.
    package var lastFailed: [String]?
    /// `--durations N`: list the N slowest files after the report.
    package var durations: Int?
    /// `--fail-fast`: start no new file after the first failure.
    package var failFast = false
    /// `--shard K/N` (1-based K) or Bazel's TEST_SHARD_INDEX / TEST_TOTAL_SHARDS.
    package var shard: (index: Int, total: Int)?

    /// `--sidecar DIR`: the overlay the pages run with (loaded by `RunInvocation.discover`).
    package var sidecarDirectory: String?
    package var sidecar: Sidecar?

    /// `--cram-indent`, `--cram-shell`, `--prysk`: over the configuration's `[cram]`.
    package var cram = CramSettings()

    /// The default per-command limit when nothing else sets one.
    package static let defaultTimeout: Duration = .seconds(60)

    package init() {}
}
