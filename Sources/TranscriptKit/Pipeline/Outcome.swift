/// What running one transcript file came to. Plain data shared by every reporter and by update mode.
package struct FileOutcome: Sendable {
    package enum Status: Sendable, Hashable {
        case passed
        case failed
        case skipped(reason: String)
        /// The file could not be accepted (parse, pattern or configuration errors): exit 2.
        case invalid
    }

    package var path: String
    package var status: Status
    package var duration: Duration
    package var blocks: [BlockOutcome]
    /// Errors in the input (for `.invalid`) or in providing what the file needs.
    package var diagnostics: [Diagnostic]
    /// Problems that are neither input errors nor mismatches (e.g. the engine could not start).
    package var errors: [String]
    /// The temporary directory, when it was kept (`--keep-temp`).
    package var keptDirectory: String?
    /// The engine's versions, when one was started.
    package var engine: EngineInfo?
    /// In a matrix run, the engine kind this run of the file was for (reports key outcomes by
    /// file and engine); nil when the file runs once.
    package var matrixEngine: String?
    /// The parsed transcript (nil when it could not be parsed).
    package var transcript: Transcript?
    /// The plan the file ran from (nil when it could not be made): update mode rewrites from it.
    package var plan: FilePlan?
    /// The captures and example bindings at the file's end.
    package var bindings = Bindings()

    package init(path: String, status: Status, duration: Duration = .zero, blocks: [BlockOutcome] = [],
                 diagnostics: [Diagnostic] = [], errors: [String] = [], keptDirectory: String? = nil,
                 engine: EngineInfo? = nil, transcript: Transcript? = nil, plan: FilePlan? = nil) {
        self.path = path
        self.status = status
        self.duration = duration
        self.blocks = blocks
        self.diagnostics = diagnostics
        self.errors = errors
        self.keptDirectory = keptDirectory
        self.engine = engine
        self.transcript = transcript
        self.plan = plan
    }
}

extension FileOutcome {
    /// The file as reports name this run of it: its path, and `[ENGINE]` in a matrix run.
    package var label: String { runLabel(path, engine: matrixEngine) }
}

/// How reports name one run of a file: `path`, or `path [ENGINE]` in a matrix run.
package func runLabel(_ path: String, engine: String?) -> String {
    engine.map { "\(path) [\($0)]" } ?? path
}

/// What one session block came to.
package struct BlockOutcome: Sendable {
    package enum Status: Sendable, Hashable {
        case passed
        case failed
        case skipped(reason: String)
        /// `diverges=`: a mismatch, as documented; does not fail the run.
        case diverged(reason: String)
        /// `diverges=` but everything matched: fails only under `--strict`.
        case nowConforms(reason: String)
        /// Not run because the shell ended earlier in the file.
        case notRun
    }

    /// Index into the transcript's blocks.
    package var index: Int
    package var line: Int
    package var heading: String?
    package var status: Status
    package var commands: [CommandOutcome]
    package var duration: Duration
    /// The file holding the block's lines when it is not the document (a sidecar's session).
    package var origin: String?
    /// It ran only as setup for a block chosen after it (`--filter`, `file.md:LINE`): reports
    /// do not count it as a test, unless it failed.
    package var isSetup = false

    package init(index: Int, line: Int, heading: String?, status: Status, commands: [CommandOutcome] = [], duration: Duration = .zero,
                 origin: String? = nil) {
        self.origin = origin
        self.index = index
        self.line = line
        self.heading = heading
        self.status = status
        self.commands = commands
        self.duration = duration
    }
}

extension BlockOutcome {
    /// The path its lines are reported at: its origin (a sidecar) or the document's.
    package func path(in outcome: FileOutcome) -> String { origin ?? outcome.path }

    /// A setup block that did its work: not a test of its own.
    package var isQuietSetup: Bool {
        guard isSetup else { return false }
        switch status {
        case .passed, .diverged, .nowConforms, .skipped: return true
        case .failed, .notRun: return false
        }
    }
}

extension FileOutcome {
    /// The blocks reports count as tests: all but setup blocks that did their work.
    package var testBlocks: [BlockOutcome] { blocks.filter { !$0.isQuietSetup } }

    /// How many of its blocks diverge as documented.
    package var diverged: Int {
        blocks.filter { if case .diverged = $0.status { return true } else { return false } }.count
    }
}

/// What one command came to.
package struct CommandOutcome: Sendable {
    package enum Status: Sendable, Hashable {
        case passed
        case failed
        /// Not run: the shell had ended.
        case notRun
    }

    /// Index into the block's commands.
    package var index: Int
    package var line: Int
    /// The command as written.
    package var text: String
    /// The command as run (example bindings substituted), when it differs.
    package var ranText: String?
    package var status: Status
    package var result: CommandResult?
    package var match: MatchResult?
    package var expectedExit: Int32?
    /// Whether the exit status was part of the verdict and differed.
    package var exitMismatch: Bool
    /// Plain messages: a timeout, a shell that ended, a broken example binding.
    package var messages: [String]
    /// The captures and example bindings in force when the command ran (nil when it did not run).
    package var bindingsBefore: Bindings?

    package init(index: Int, line: Int, text: String, ranText: String? = nil, status: Status, result: CommandResult? = nil,
                 match: MatchResult? = nil, expectedExit: Int32? = nil, exitMismatch: Bool = false, messages: [String] = []) {
        self.index = index
        self.line = line
        self.text = text
        self.ranText = ranText
        self.status = status
        self.result = result
        self.match = match
        self.expectedExit = expectedExit
        self.exitMismatch = exitMismatch
        self.messages = messages
    }
}

/// Totals over a run, as the last line of every report states them.
package struct Summary: Sendable, Hashable {
    package var passed = 0
    package var failed = 0
    package var skipped = 0
    package var invalid = 0
    /// Blocks that diverge as documented (`diverges=`), and the files that have them.
    package var divergedBlocks = 0
    package var divergingFiles = 0
    package var duration: Duration = .zero

    package init(_ outcomes: [FileOutcome] = []) {
        for outcome in outcomes { add(outcome) }
    }

    package mutating func add(_ outcome: FileOutcome) {
        let diverged = outcome.diverged
        divergedBlocks += diverged
        divergingFiles += diverged > 0 ? 1 : 0
        switch outcome.status {
        case .passed: passed += 1
        case .failed: failed += 1
        case .skipped: skipped += 1
        case .invalid: invalid += 1; failed += 1
        }
    }

    /// `transcripts: N passed, N failed, N skipped`.
    package var line: String { "transcripts: \(passed) passed, \(failed) failed, \(skipped) skipped" }

    /// What the last line's counts hold that is not a plain pass or failure, a line each: files
    /// with bad input (counted as failed) and known divergences (in passing files).
    package var notes: [String] {
        var notes: [String] = []
        if invalid > 0 {
            notes.append("bad input: \(invalid) file\(invalid == 1 ? "" : "s") (counted as failed; exit status 2)")
        }
        if divergedBlocks > 0 {
            notes.append("known divergences: \(divergedBlocks) block\(divergedBlocks == 1 ? "" : "s") in \(divergingFiles) file\(divergingFiles == 1 ? "" : "s") (documented with diverges=; they do not fail the run)")
        }
        return notes
    }

    /// 0 all passed (skips allowed), 1 a transcript failed, 2 bad input.
    package var exitCode: Int32 { invalid > 0 ? 2 : (failed > 0 ? 1 : 0) }

    /// The exit status of a run that selected nothing: no transcript under its paths, or none
    /// that `--filter` selects (as pytest's "no tests collected").
    package static let nothingSelected: Int32 = 5
}
