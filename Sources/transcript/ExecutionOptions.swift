import ArgumentParser
import Foundation
import TranscriptKit

/// Options shared by `run` and `update`: how files are run.
struct ExecutionOptions: ParsableArguments {
    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Files run in parallel (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Limit for each command (default 60s). Wins over transcript.toml; file and block options win over it.", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Docker engine for requires=docker: 'private' (a fresh engine per file, the default) or 'host' (your own engine: transcripts may delete its images).", valueName: "private|host"), completion: Completions.engine)
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

    func apply(to settings: inout RunSettings) {
        settings.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        settings.timeout = timeout.flatMap { Duration.parse(transcript: $0) }
        settings.engine = RunSettings.EngineMode(rawValue: engine) ?? .private
    }
}
