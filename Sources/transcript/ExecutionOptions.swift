import ArgumentParser
import Foundation
import TranscriptKit

/// Options shared by `run` and `update`: how files are run.
struct ExecutionOptions: ParsableArguments {
    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Files run in parallel (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Limit for each command (default 60s). Wins over transcript.toml; file and block options win over it.", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Engine for requires=: 'private' (a fresh engine per file, of each requirement's own kind: the default), 'host' (your own engines: transcripts may delete their images), or an engine's name: that private engine for every file that requires one it serves.", valueName: "private|host|" + EngineRegistry.names.joined(separator: "|")), completion: Completions.engine)
    var engine: String = "private"

    @Option(help: ArgumentHelp("Run each engine-requiring file once per engine of the list that serves it (a matrix), over transcript.toml's engines.", valueName: EngineRegistry.names.joined(separator: ",")))
    var engines: String?

    @Option(help: ArgumentHelp("Spaces that set a cram .t file's session lines off (default 2, or [cram] indent).", valueName: "n"))
    var cramIndent: Int?

    @Option(help: ArgumentHelp("The shell of cram .t files (default /bin/sh, or [cram] shell).", valueName: "path"))
    var cramShell: String?

    @Flag(help: "Run .t files as prysk does: PRYSK_TEMP, and the temporary directory written $TMPDIR in output.")
    var prysk = false

    func validate() throws {
        if let cramIndent, !(1...16).contains(cramIndent) { throw ValidationError("--cram-indent must be from 1 to 16") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let timeout, Duration.parse(transcript: timeout) == nil {
            throw ValidationError("--timeout '\(timeout)' is not a duration; write e.g. 500ms, 30s or 2m")
        }
        try Self.check(engine: engine)
        if let engines {
            if case .failure(let error) = EngineMatrix.parse(engines) { throw ValidationError("--engines: " + error.message) }
            if RunSettings.EngineMode(rawValue: engine) == nil {
                throw ValidationError("--engine \(engine) and --engines both name the engines; give one of them")
            }
        }
    }

    /// `--engine`: a mode (private, host) or an engine kind's name.
    static func check(engine: String) throws {
        if RunSettings.EngineMode(rawValue: engine) == nil, EngineRegistry.kind(named: engine) == nil {
            let names = RunSettings.EngineMode.allCases.map(\.rawValue) + EngineRegistry.names
            throw ValidationError("--engine must be one of " + names.map { "'\($0)'" }.joined(separator: ", ") + ", not '\(engine)'")
        }
    }

    /// Sets the mode `--engine` names, or for a kind's name a private matrix of that one kind.
    static func apply(engine: String, to settings: inout RunSettings) {
        settings.engine = RunSettings.EngineMode(rawValue: engine) ?? .private
        if EngineRegistry.kind(named: engine) != nil { settings.engines = [engine] }
    }

    func apply(to settings: inout RunSettings) {
        settings.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        settings.timeout = timeout.flatMap { Duration.parse(transcript: $0) }
        Self.apply(engine: engine, to: &settings)
        if let engines, case .success(let names) = EngineMatrix.parse(engines) { settings.engines = names }
        settings.cram = CramSettings(indent: cramIndent, shell: cramShell, environment: prysk ? .prysk : nil)
    }
}
