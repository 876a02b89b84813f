import ArgumentParser
import Foundation
import TranscriptKit

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run transcripts and report where they pass and fail.",
        discussion: """
        PATH is a transcript file or a directory searched recursively for *.md files;
        the default is Transcripts/.

        Examples:
          transcript run                          # everything under Transcripts/
          transcript run docs/install.md          # one document
          transcript run --jobs 1 --verbose docs  # one file at a time, showing each command
          transcript run --timeout 2m Transcripts/docker
        """
    )

    @Argument(help: "Transcript files or directories (default: Transcripts/).")
    var paths: [String] = []

    @Option(name: [.short, .long], help: "Files run in parallel (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Limit for each command, e.g. 30s or 2m (default 60s). Wins over transcript.toml; file and block options win over it.")
    var timeout: String?

    @Flag(help: "Keep each file's temporary directory and print where it is.")
    var keepTemp = false

    @Flag(name: [.short, .long], help: "Show each command and its output as it runs, and captured variables.")
    var verbose = false

    @Flag(help: "A block marked diverges= whose output now matches fails the run.")
    var strict = false

    @Option(help: "Docker engine for requires=docker: 'private' (a fresh engine per file, default) or 'host' (your own engine: transcripts may delete its images).")
    var engine: String = "private"

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let timeout, Duration.parse(transcript: timeout) == nil {
            throw ValidationError("--timeout '\(timeout)' is not a duration; write e.g. 500ms, 30s or 2m")
        }
        if RunSettings.EngineMode(rawValue: engine) == nil {
            throw ValidationError("--engine must be 'private' or 'host', not '\(engine)'")
        }
    }

    mutating func run() throws {
        throw ExitCode(execute())
    }

    /// Runs and returns the exit status.
    func execute() -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        var settings = RunSettings()
        settings.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        settings.timeout = timeout.flatMap { Duration.parse(transcript: $0) }
        settings.keepTemp = keepTemp
        settings.verbose = verbose
        settings.strict = strict
        settings.engine = RunSettings.EngineMode(rawValue: engine) ?? .private
        settings.environment = environment
        return RunSession.run(paths: paths.isEmpty ? ["Transcripts"] : paths, settings: settings)
    }
}

struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Print the named patterns ({{NAME}}) with their regular expressions."
    )

    @Argument(help: "A directory whose transcript.toml patterns to include (default: the current one).")
    var directory: String?

    func run() throws {
        throw ExitCode(RunSession.printPatterns(directory: directory ?? FileManager.default.currentDirectoryPath))
    }
}
