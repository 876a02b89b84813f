/// A matrix run (`--engines docker,podman`, `engines = [...]`): each file that requires an
/// engine runs once per engine kind of the matrix that serves one of its requirements; a plain
/// file runs once.
package enum EngineMatrix {
    /// What is wrong with `name` as a matrix engine, or nil when it is a known kind.
    package static func problem(with name: String) -> String? {
        if EngineRegistry.kind(named: name) != nil { return nil }
        return "unknown engine '\(name)': the engines are " + EngineRegistry.names.joined(separator: ", ")
    }

    /// Parses `--engines docker,podman`; the message for a bad list.
    package static func parse(_ list: String) -> Result<[String], MatrixError> {
        let names = list.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
        if let empty = names.firstIndex(of: "") {
            return .failure(MatrixError(message: empty == 0 && names.count == 1 ? "--engines names no engine"
                                        : "an empty engine name in --engines '\(list)'; separate names with commas"))
        }
        for name in names {
            if let problem = problem(with: name) { return .failure(MatrixError(message: problem)) }
        }
        var seen = Set<String>()
        return .success(names.filter { seen.insert($0).inserted })
    }

    /// The engine names `plan` requires, of the file and of every block.
    package static func requirements(_ plan: FilePlan) -> Set<String> {
        let features = (plan.fileOptions.requires ?? []) + plan.options.flatMap { $0.requires ?? [] }
        return Set(features.compactMap(\.engineName))
    }

    /// The kinds of `matrix` that serve one of `requirements`, in the matrix's order.
    package static func kinds(_ matrix: [String], serving requirements: Set<String>, in engines: EngineSet) -> [String] {
        matrix.filter { name in
            guard let engine = engines.engine(named: name) else { return false }
            return !engine.serves.isDisjoint(with: requirements)
        }
    }
}

/// A bad engine list on the command line.
package struct MatrixError: Error, Sendable {
    package var message: String
}

/// One run of a file: its path, and in a matrix run the engine kind it runs on.
package struct FileJob: Sendable {
    package var path: String
    /// The engine kind of this run (a matrix run); nil when the file runs once.
    package var engine: String?
    /// The file already read and compiled when the matrix was laid out.
    var prepared: Result<FilePlan, Diagnostics>?

    package init(path: String, engine: String? = nil) {
        self.path = path
        self.engine = engine
    }
}

extension FileRunner {
    /// The engine list a file under `configuration` runs on: the command line's, else its
    /// configuration's; nil outside a matrix run.
    package func matrix(for configuration: Configuration) -> [String]? {
        settings.engines ?? configuration.engines
    }

    /// The runs of `path`: one per engine of its matrix that serves one of its engine
    /// requirements; one otherwise (a plain file, bad input, no matrix).
    package func jobs(for path: String) -> [FileJob] {
        jobs(for: path, prepared: prepare(path: path))
    }

    /// The runs of `path`, read and compiled as `prepared`.
    package func jobs(for path: String, prepared: Result<FilePlan, Diagnostics>) -> [FileJob] {
        guard case .success(let plan) = prepared, let matrix = matrix(for: plan.configuration) else {
            var job = FileJob(path: path)
            job.prepared = prepared
            return [job]
        }
        let kinds = EngineMatrix.kinds(matrix, serving: EngineMatrix.requirements(plan), in: engines)
        return (kinds.isEmpty ? [nil] : kinds.map { Optional($0) }).map { kind in
            var job = FileJob(path: path, engine: kind)
            job.prepared = prepared
            return job
        }
    }

    /// The runs of every file of `paths`, file by file.
    package func jobs(for paths: [String]) -> [FileJob] {
        paths.flatMap { jobs(for: $0) }
    }
}
