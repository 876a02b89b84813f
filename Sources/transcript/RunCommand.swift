import ArgumentParser
import Foundation
import PCRE2
import TranscriptKit

/// Options shared by `run` and `list`: what to select.
struct SelectionOptions: ParsableArguments {
    @Argument(help: "Transcript files or directories searched for *.md (default: Transcripts/).", completion: Completions.documents)
    var paths: [String] = []

    @Option(help: ArgumentHelp("Run only files whose path, or blocks whose heading, matches this PCRE2 pattern.", valueName: "regex"))
    var filter: String?

    @Option(help: ArgumentHelp("Run the pages (default: the sidecar's upstream folder) with the sidecar in this directory: its transcript.toml's configuration, options and inserted sessions; the pages are never written.", valueName: "dir"), completion: .directory)
    var sidecar: String?

    @Option(help: ArgumentHelp("Run shard K of N (1-based), by a stable hash of each path. Bazel's TEST_SHARD_INDEX and TEST_TOTAL_SHARDS are honoured too.", valueName: "K/N"))
    var shard: String?

    func validate() throws {
        if let shard, parseShard(shard) == nil {
            throw ValidationError("--shard must be K/N with 1 <= K <= N, not '\(shard)'")
        }
        if let filter {
            do { _ = try Regex(filter, options: [.utf]) } catch {
                throw ValidationError("--filter: \(error.message) at offset \(error.offset) of /\(filter)/")
            }
        }
    }

    func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        return (k - 1, n)
    }

    func apply(to settings: inout RunSettings, environment: [String: String]) {
        settings.sidecarDirectory = sidecar
        if let filter { settings.filter = try? Regex(filter, options: [.utf]) }
        if let shard, let (k, n) = parseShard(shard) {
            settings.shard = (k, n)
        } else if let total = environment["TEST_TOTAL_SHARDS"].flatMap(Int.init), total > 1,
                  let index = environment["TEST_SHARD_INDEX"].flatMap(Int.init), index >= 0, index < total {
            settings.shard = (index, total)
        }
    }

    /// The paths named, or the default: Transcripts/, or with a sidecar its upstream folder.
    var resolvedPaths: [String] { paths.isEmpty && sidecar == nil ? ["Transcripts"] : paths }

    /// Update mode writes documents; a sidecar's pages are not the user's to write.
    func rejectSidecarInUpdateMode() throws {
        if sidecar != nil {
            throw ValidationError("--sidecar does not apply to update mode: the pages are upstream's and the sidecar's sessions are not rewritten; run 'transcript run --sidecar DIR' and correct the sidecar (or the pages upstream) by hand")
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run transcripts and report where they pass and fail.",
        discussion: """
        Examples:
          transcript run                             everything under Transcripts/
          transcript run docs/install.md             one document
          transcript run docs/install.md:24          the block at line 24, after the blocks before it
          transcript run --last-failed               what failed in the last run
          transcript run -j 1 --verbose docs         one file at a time, showing each command
          transcript run --timeout 2m Transcripts/docker
          prove --exec 'transcript run --format tap' docs/*.md    (TAP for prove)
          transcript run --report junit=out/junit.xml --report html=out/conformance.html

        \(ReportFormat.catalogue)

        Exit status: 0 all passed (skips allowed), 1 a transcript failed, 2 bad input, 5 nothing to run \
        (no transcript under the paths, or none that --filter selects).
        """
    )

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Run only what failed in the last run (its blocks, after the blocks before them), as kept in .transcript-cache/; everything when nothing failed.")
    var lastFailed = false

    @Option(help: ArgumentHelp("After the report, list the N slowest files.", valueName: "N"))
    var durations: Int?

    @OptionGroup var execution: ExecutionOptions

    @Flag(help: "Keep each file's temporary directory and print where it is.")
    var keepTemp = false

    @Flag(name: [.short, .long], help: "Show each command, its output and captured variables as it runs.")
    var verbose = false

    @Flag(help: "A block marked diverges= whose output now matches fails the run.")
    var strict = false

    @Flag(help: "Start no further file after the first failure.")
    var failFast = false

    @Flag(help: "Update mode: write each failing command's actual output into the document (see 'transcript update').")
    var update = false

    @OptionGroup var updating: UpdateOptions

    @OptionGroup var colors: ColorOptions

    @Option(help: ArgumentHelp(ReportFormat.formatOptionHelp, valueName: "format"), completion: Completions.format)
    var format: String = ReportFormat.pretty.name

    @Option(help: ArgumentHelp(ReportFormat.reportOptionHelp, valueName: "format=path"), completion: Completions.report)
    var report: [String] = []

    func validate() throws {
        if updating.isUsed && !update { throw ValidationError("--diff, --interactive, --update-divergent and --force need --update") }
        if let durations, durations < 1 { throw ValidationError("--durations must be a number of files, 1 or more, not \(durations)") }
        do {
            _ = try ReportFormat.parse(format: format)
            for item in report { _ = try ReportFormat.parse(report: item) }
        } catch {
            throw ValidationError(error.message)
        }
        if update {
            try rejectFlagsUpdateModeIgnores()
            try selection.rejectSidecarInUpdateMode()
        }
    }

    /// Update mode reports what it wrote, in its own words, and runs every file to update it:
    /// report formats and --fail-fast would be ignored there, so they are refused. (--strict is
    /// honoured: a block that now conforms fails the update's exit status too.)
    func rejectFlagsUpdateModeIgnores() throws {
        let reports = (format == ReportFormat.pretty.name ? [] : ["--format \(format)"]) + report.map { "--report \($0)" }
        if let flag = reports.first {
            throw ValidationError("\(flag) does not apply to --update, which reports only what it wrote; drop it, and once the documents are updated run 'transcript run \(flag)' for the report")
        }
        if failFast {
            throw ValidationError("--fail-fast does not apply to --update, which runs every file to update it; drop --fail-fast")
        }
    }

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = RunSettings()
        execution.apply(to: &settings)
        settings.keepTemp = keepTemp
        settings.verbose = verbose
        settings.strict = strict
        settings.failFast = failFast
        settings.lastFailed = lastFailed ? (selection.paths.isEmpty ? ["."] : selection.paths) : nil
        settings.durations = durations
        settings.environment = environment
        settings.color = colors.color
        settings.format = (try? ReportFormat.parse(format: format)) ?? .pretty
        settings.reports = report.compactMap { try? ReportFormat.parse(report: $0) }
        // Bazel's test protocol.
        if let xml = environment["XML_OUTPUT_FILE"], !xml.isEmpty, !settings.reports.contains(where: { $0.format == .junit }) {
            settings.reports.append((.junit, xml))
        }
        if let status = environment["TEST_SHARD_STATUS_FILE"], !status.isEmpty {
            FileManager.default.createFile(atPath: status, contents: nil)
        }
        selection.apply(to: &settings, environment: environment)
        if update { try updating.run(paths: selection.resolvedPaths, settings: settings) }
        throw ExitCode(RunInvocation.run(paths: selection.resolvedPaths, settings: settings))
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List transcript files and their session blocks (line, commands, heading, options) without running them."
    )

    @OptionGroup var selection: SelectionOptions
    @OptionGroup var colors: ColorOptions

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = RunSettings()
        settings.environment = environment
        settings.color = colors.color
        selection.apply(to: &settings, environment: environment)
        throw ExitCode(RunInvocation.list(paths: selection.resolvedPaths, settings: settings))
    }
}

struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Print the named patterns ({{NAME}}) with their regular expressions, including those of the nearest transcript.toml."
    )

    @Argument(help: "A directory whose transcript.toml patterns to include (default: the current one).", completion: .directory)
    var directory: String?

    func run() throws {
        throw ExitCode(RunInvocation.printPatterns(directory: directory ?? FileManager.default.currentDirectoryPath))
    }
}
