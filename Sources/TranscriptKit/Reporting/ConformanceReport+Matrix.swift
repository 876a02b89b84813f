/// A matrix run's documents (`--engines docker,podman`): each documented claim once, with a
/// column per engine side by side: the documented text, then each engine's actual output and
/// verdict.
extension ConformanceReport {
    /// The runs of each document, in order: one, or one per engine of a matrix run (a file's
    /// runs arrive one after another).
    func runsByDocument() -> [[FileOutcome]] {
        var groups: [[FileOutcome]] = []
        for document in documents {
            if let last = groups.last?.last, last.path == document.path, last.matrixEngine != nil, document.matrixEngine != nil {
                groups[groups.count - 1].append(document)
            } else {
                groups.append([document])
            }
        }
        return groups
    }

    /// The engines of the run's matrix, in the order they first come.
    func matrixEngines() -> [String] {
        var names: [String] = []
        for name in documents.compactMap(\.matrixEngine) where !names.contains(name) { names.append(name) }
        return names
    }

    /// A line per engine kind the run used: its versions and where it came from.
    func engineLines() -> [String] {
        var seen = Set<String>()
        return documents.compactMap(\.engine).filter { seen.insert($0.name).inserted }.map { engine in
            "\(engine.displayName) engine: server \(engine.serverVersion), client \(engine.clientVersion) (\(engine.kind))"
        }
    }

    /// Counts of block verdicts on the engine `name` (nil: the runs of no engine).
    func totals(on name: String?) -> [Verdict: Int] {
        documents.filter { $0.matrixEngine == name }.reduce(into: [:]) { counts, document in
            counts.merge(self.counts(document), uniquingKeysWith: +)
        }
    }

    /// The blocks any of `runs` documents, by index, in order.
    func documentedIndices(_ runs: [FileOutcome]) -> [Int] {
        Array(Set(runs.flatMap { documented($0).map(\.index) })).sorted()
    }

    /// One run's verdict on block `index`, with its note: a file skipped as a whole counts for each block.
    func verdict(of index: Int, in run: FileOutcome) -> (Verdict, String?) {
        if let block = run.blocks.first(where: { $0.index == index }) { return verdict(block) }
        if case .skipped(let reason) = run.status { return (.skipped, reason) }
        return (.fails, run.errors.first)
    }

    /// A column of one run's actual output for the command on `line`: each line, and whether it
    /// differs from the documented text; the exit status as a page writes it (`[N]`) where the
    /// page shows one or it differs.
    func actualColumn(line: Int, block index: Int, in run: FileOutcome) -> [(String, Bool)] {
        guard let block = run.blocks.first(where: { $0.index == index }),
              let command = block.commands.first(where: { $0.line == line }) else { return [] }
        if command.status == .notRun { return [("not run", true)] }
        let source = run.transcript?.blocks[safe: index]
        // A documented line the engine did not print shows as a marked "—", so that the column
        // keeps the documented text's rows where it can.
        var column = sideBySide(command, block: source, exact: isExact(block, in: run)).compactMap { row -> (String, Bool)? in
            row.actual.map { ($0, row.differs) } ?? (row.differs ? ("—", true) : nil)
        }
        if let exit = exitRow(command, source: source) { column.append((exit.actual, exit.differs)) }
        return column
    }

    /// The exit statuses as a page writes them, `[N]`, when the page shows one, the command
    /// exited with one, or they differ; nil otherwise.
    func exitRow(_ command: CommandOutcome, source: SessionBlock?) -> (documented: String, actual: String, differs: Bool, line: Int?)? {
        let documented = source?.commands.first { $0.line == command.line }?.exitStatus
        guard let result = command.result, documented != nil || result.exitStatus != 0 || command.exitMismatch else { return nil }
        return (documented.map { "[\($0.status)]" } ?? "", "[\(result.exitStatus)]", command.exitMismatch, documented?.line)
    }

    /// The commands of block `index` some run shows with a difference (all of them when `all`).
    func commandLines(block index: Int, runs: [FileOutcome], all: Bool) -> [(line: Int, text: String)] {
        guard let source = runs.compactMap({ $0.transcript?.blocks[safe: index] }).first else { return [] }
        return source.commands.filter { command in
            all || runs.contains { run in
                run.blocks.first { $0.index == index }?.commands.contains { $0.line == command.line && $0.status != .passed } ?? false
            }
        }.map { ($0.line, $0.text) }
    }

    /// The documented lines of the command on `line` of block `index`, its `[N]` last.
    func documentedColumn(line: Int, block index: Int, runs: [FileOutcome]) -> [ExpectedLine] {
        let source = runs.compactMap { $0.transcript?.blocks[safe: index] }.first
        guard let command = source?.commands.first(where: { $0.line == line }) else { return [] }
        let exact = runs.first?.plan?.options[safe: index]?.isExact ?? false
        return comparedLines(command.expected, exact: exact) + (command.exitStatus.map { [ExpectedLine(text: "[\($0.status)]", line: $0.line, column: 1)] } ?? [])
    }

    /// The name of a run's engine column.
    func columnName(_ run: FileOutcome) -> String { run.matrixEngine ?? run.engine?.name ?? "actual" }

    /// A verdict as a table cell says it: `diverges: reason`.
    func verdictText(_ verdict: (Verdict, String?)) -> String {
        verdict.0.rawValue + (verdict.1.map { ": \($0)" } ?? "")
    }
}
