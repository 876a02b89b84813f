/// The engines of one run: one instance of every registered kind (or those a test gives).
package struct EngineSet: Sendable {
    package let engines: [any Engine]
    /// Where the engines come from: in a private run every file's shell sees the host's engine
    /// sockets covered (`HostEngineSockets`).
    package let mode: EngineMode

    /// Every registered kind, in `mode`, over the harness's own `environment`.
    package init(mode: EngineMode, environment: [String: String]) {
        engines = EngineRegistry.kinds.map { $0.init(mode: mode, environment: environment) }
        self.mode = mode
    }

    package init(engines: [any Engine], mode: EngineMode = .private) {
        self.engines = engines
        self.mode = mode
    }

    /// The engine of this run called `name`.
    package func engine(named name: String) -> (any Engine)? {
        engines.first { $0.name == name }
    }

    /// The engines a file needing `names` gets when no matrix says which: each name's own kind
    /// (`docker` and `podman` together: both engines), else the first kind that serves it.
    package func defaultEngines(serving names: Set<String>) -> [any Engine] {
        var chosen: [any Engine] = []
        for engine in engines where names.contains(engine.name) { chosen.append(engine) }
        for name in names where !chosen.contains(where: { $0.serves.contains(name) }) {
            if let serving = engines.first(where: { $0.serves.contains(name) }) { chosen.append(serving) }
        }
        return chosen
    }

    /// Why the engine feature `name` cannot be had for a file under `configuration`, or nil:
    /// on `kind` when the file runs on one (a matrix run), else on the kind that serves it by
    /// default; `matrix` is the file's list of engines, when it has one.
    package func unavailableReason(_ name: String, on kind: String? = nil, matrix: [String]? = nil, configuration: Configuration) -> String? {
        let engine: (any Engine)?
        if let kind {
            guard let chosen = self.engine(named: kind) else { return "this run provides no \(kind) engine" }
            guard chosen.serves.contains(name) else { return "the \(type(of: chosen).displayName) engine does not serve it" }
            engine = chosen
        } else if let matrix {
            return "none of this run's engines (\(matrix.joined(separator: ", "))) serves it"
        } else {
            engine = defaultEngines(serving: [name]).first
        }
        guard let engine else { return "this run provides no \(name) engine" }
        return engine.unavailableReason(configuration: configuration)
    }

    /// Starts the engines serving `needed` for `file` (`kind` alone when given) and guards it
    /// from the others. On a failure, what was started is stopped again.
    package func provide(needed: Set<String>, on kind: String? = nil, for file: EngineFile) -> Result<FileEngines, EngineStartFailure> {
        let chosen = kind.flatMap { engine(named: $0) }.map { needed.isEmpty ? [] : [$0] } ?? defaultEngines(serving: needed)
        var provided = FileEngines()
        if mode == .private {
            // First: a lease then shows its own engine at the sockets of its kind.
            provided.add(EngineGuard(masks: HostEngineSockets.masks()))
        }
        // Guards before leases: a lease's variables (DOCKER_HOST of a Podman engine) win.
        for engine in engines where !chosen.contains(where: { $0 === engine }) {
            provided.add(engine.absent(for: file))
        }
        for engine in chosen {
            do {
                provided.add(try engine.start(for: file), of: type(of: engine))
            } catch {
                provided.stop()
                let kind = type(of: engine)
                return .failure(EngineStartFailure(message: "the \(kind.displayName) engine could not be started: \(error)"))
            }
        }
        return .success(provided)
    }

    /// Removes what every kind built once for the run.
    package func finish() {
        for engine in engines { engine.finish() }
    }

    /// Stops every engine still running: for interruptions.
    package func stopAll() {
        for engine in engines { engine.stopAll() }
    }
}

/// An engine a file asked for could not be started.
package struct EngineStartFailure: Error, Sendable, CustomStringConvertible {
    /// The whole message, naming the engine.
    package var message: String
    package var description: String { message }
}
