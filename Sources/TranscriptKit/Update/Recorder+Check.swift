/// The second run of a recording: the recorded block must pass; where a line varies from run to
/// run, values of one kind that changed are written as placeholders (and the block run a third
/// time), and any other change is reported with the line that would match both runs.
extension Recorder {
    /// A line of the recorded block that varied, with what the second run showed.
    struct Variation {
        var command: Int
        var finding: OutputVariation.Finding
        /// The line of the document the output line is written on.
        var documentLine: Int
    }

    /// Runs the document again and corrects or reports what varies; the exit status.
    func checkAgain(_ recording: Recording, runner: FileRunner) -> Int32 {
        let path = recording.document.path
        let again = runner.run(path: path)
        guard let last = again.blocks.last else { return again.status == .invalid ? 2 : 0 }
        guard last.status == .failed || last.status == .notRun else { return again.status == .invalid ? 2 : 0 }
        let variations = report(recording, second: last, in: again)
        let certain = variations.filter(\.finding.certain)
        guard !certain.isEmpty else { return 1 }
        var hints: [Generalizer.Place: [Generalizer.Token]] = [:]
        for variation in certain {
            hints[Generalizer.Place(command: variation.command, line: variation.finding.line)] = variation.finding.tokens
        }
        if let failed = write(recording, hints: hints, runner: runner) { return failed }
        let written = recording.generalizer.generalize(recording.recorded, hints: hints)
        for variation in certain {
            let place = Generalizer.Place(command: variation.command, line: variation.finding.line)
            let line = written.places[place].map { written.lines[$0] } ?? ""
            OutputStream.standardError.write("\(path):\(variation.documentLine): written as '\(line)', which matches both\n")
        }
        let third = runner.run(path: path)
        // Commands with a line not written fail again; they were reported above.
        let rewritten = Set(certain.map(\.command)).subtracting(variations.filter { !$0.finding.certain }.map(\.command))
        let still = third.blocks.last.map { $0.commands.filter { $0.status != .passed && rewritten.contains($0.index) } } ?? []
        for command in still {
            OutputStream.standardError.write("\(path):\(command.line): the output still differs when run a third time: $ \(Self.firstLine(command.text))\n")
        }
        if still.isEmpty { OutputStream.standardError.write("transcript: \(path): the lines written match when run a third time\n") }
        guard third.status != .invalid else { return 2 }
        return still.isEmpty && variations.count == certain.count && third.blocks.last?.status == .passed ? 0 : 1
    }

    /// Says, for each command of the second run that failed, which lines varied and what would
    /// match both runs; the variations found.
    private func report(_ recording: Recording, second block: BlockOutcome, in outcome: FileOutcome) -> [Variation] {
        let err = OutputStream.standardError
        let path = recording.document.path
        let comparer = OutputVariation(generalizer: recording.generalizer)
        let written = outcome.transcript?.blocks[safe: block.index]?.commands ?? []
        var variations: [Variation] = []
        for command in block.commands where command.status != .passed {
            let index = command.index
            guard let first = recording.recorded[safe: index], let second = command.result else {
                err.write("\(path):\(command.line): the recorded output does not match when run again: $ \(Self.firstLine(command.text))\n")
                continue
            }
            let secondVariables = command.bindingsBefore.map { Bindings.builtIn(from: $0.variables) } ?? [:]
            switch comparer.compare(first.output, second.output, variables: (recording.variables, secondVariables)) {
            case .failure(let counts):
                err.write("\(path):\(command.line): `$ \(Self.firstLine(command.text))` printed \(counts.first) line\(counts.first == 1 ? "" : "s"), then \(counts.second) when run again; "
                          + "not written: a line `...` matches any number of lines\n")
            case .success(let findings) where findings.isEmpty:
                let status = second.exitStatus == first.exitStatus ? "" : " (exit status \(first.exitStatus), then \(second.exitStatus))"
                err.write("\(path):\(command.line): the recorded output does not match when run again\(status): $ \(Self.firstLine(command.text))\n")
            case .success(let findings):
                for finding in findings {
                    let line = written[safe: index]?.expected[safe: finding.line]?.line ?? command.line
                    variations.append(Variation(command: index, finding: finding, documentLine: line))
                    err.write("\(path):\(line): varies from run to run: '\(finding.first)', then '\(finding.second)'\n")
                    if !finding.certain {
                        let place = Generalizer.Place(command: index, line: finding.line)
                        let suggested = recording.generalizer.generalize(recording.recorded, hints: [place: finding.tokens])
                        let text = suggested.places[place].map { suggested.lines[$0] } ?? ""
                        err.write("\(path):\(line): not written, as the text itself changed; this would match both: '\(text)'\n")
                    }
                }
            }
        }
        return variations
    }

    static func firstLine(_ text: String) -> Substring {
        text.split(separator: "\n").first ?? ""
    }
}
