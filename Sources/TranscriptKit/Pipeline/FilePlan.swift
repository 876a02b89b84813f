import Foundation

/// A transcript that passed every check before running: parsed, configured, and every
/// expectation compiled. Made by `FileRunner.prepare`; run by `FileRunner.execute`, then handed
/// on in the file's outcome, so update mode works from the same plan.
package struct FilePlan: Sendable {
    package var transcript: Transcript
    package var configuration: Configuration
    /// The named patterns of the configuration.
    package var library: PatternLibrary
    /// Per block, the effective options.
    package var options: [Options]
    /// Per block, per command, the compiled expectation.
    package var matchers: [[OutputMatcher]]
    /// The file-level options (configuration, flags and the file's comment merged).
    package var fileOptions: Options
    /// Per block, per command, what is typed into it when it runs under a terminal; nil for a
    /// command that runs on the file's pipe (`TerminalDetection`).
    package var terminals: [[TerminalScript?]] = []
    /// The prompt shapes the file's expected lines may answer (built-in and configured).
    package var prompts = PromptShapes()
    /// Per block, per command, the exit status a following `echo $?` shows (`StatusShownByEcho`).
    package var shownStatuses: [[Int32?]] = []

    /// Compiles every expectation of `transcript`; all problems are returned together.
    static func compile(_ transcript: Transcript, configuration: Configuration, library: PatternLibrary,
                        timeoutFlag: Duration?) -> Result<FilePlan, Diagnostics> {
        var base = configuration.options
        if base.timeout == nil { base.timeout = configuration.timeout }
        if let timeoutFlag { base.timeout = timeoutFlag }
        let fileOptions = transcript.fileOptions.merged(over: base)
        var problems: [Diagnostic] = []
        var known = Set(Bindings.builtInNames)
        var knownExamples = ExampleVocabulary()
        var allOptions: [Options] = []
        var matchers: [[OutputMatcher]] = []
        for block in transcript.blocks {
            if let problem = fileOnlyOption(block, file: block.origin ?? transcript.source.path) { problems.append(problem) }
            let options = block.options.merged(over: fileOptions)
            allOptions.append(options)
            var blockMatchers: [OutputMatcher] = []
            var capturedInBlock = Set<String>()
            for command in block.commands {
                do {
                    let matcher = try OutputMatcher(command: command, options: options, library: library,
                                                    file: block.origin ?? transcript.source.path, knownVariables: &known,
                                                    knownExamples: &knownExamples, capturedEarlierInBlock: capturedInBlock)
                    capturedInBlock.formUnion(matcher.capturedVariables)
                    blockMatchers.append(matcher)
                } catch {
                    problems += error.items
                }
            }
            matchers.append(blockMatchers)
        }
        if !problems.isEmpty { return .failure(Diagnostics(problems)) }
        var plan = FilePlan(transcript: transcript, configuration: configuration, library: library,
                            options: allOptions, matchers: matchers, fileOptions: fileOptions)
        let prompts = configuration.terminalPrompts ?? SessionPrompt.defaults
        plan.terminals = zip(transcript.blocks, allOptions).map { block, options in
            block.commands.map { TerminalDetection.script(for: $0, options: options, prompts: prompts) }
        }
        plan.prompts = PromptShapes(configured: configuration.prompts)
        plan.shownStatuses = zip(transcript.blocks, allOptions).map(StatusShownByEcho.statuses)
        return .success(plan)
    }

    /// A block's option that only a whole file can have (one shell runs the file), as an error.
    static func fileOnlyOption(_ block: SessionBlock, file: String) -> Diagnostic? {
        let options = block.options
        let name = options.shell != nil ? "shell" : options.environment != nil ? "environment" : options.skipExit != nil ? "skip-exit" : nil
        guard let name else { return nil }
        return Diagnostic(file: file, line: block.optionsLine ?? block.openingLine, column: 1,
                          message: "option '\(name)' applies to a whole file, not to one block",
                          help: "write it in the file's <!-- transcript-file: \(name)=... --> comment")
    }

    /// The exit status command `command` of block `block` is expected to end with, and whether
    /// the page states it (`[N]`, or a following `echo $?` in a document as written).
    func expectedStatus(block: Int, command: Int) -> (status: Int32, stated: Bool) {
        let written = transcript.blocks[block].commands[command].exitStatus?.status
        let shown = command < (shownStatuses[safe: block]?.count ?? 0) ? shownStatuses[block][command] : nil
        guard let status = written ?? shown else { return (0, false) }
        return (status, true)
    }

    /// Where the batch starting at `first` of block `block` ends (inclusive): after a command
    /// whose match can change what later commands run (a capture is exported, an example binding
    /// rewrites their text), so the next batch is written once that match is known.
    func batchEnd(block: Int, from first: Int) -> Int {
        let count = transcript.blocks[block].commands.count
        var end = first
        // A command under a terminal runs alone.
        if terminal(block: block, command: first) != nil { return first }
        while end < count - 1 {
            if terminal(block: block, command: end + 1) != nil { break }
            let matcher = matchers[block][end]
            if !matcher.capturedVariables.isEmpty || matcher.bindsExamples { break }
            end += 1
        }
        return end
    }

    /// The terminal script of a command, nil when it runs on the pipe.
    func terminal(block: Int, command: Int) -> TerminalScript? {
        guard block < terminals.count, command < terminals[block].count else { return nil }
        return terminals[block][command]
    }
}
