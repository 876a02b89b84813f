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

    /// Why the engine `name` cannot be had for a file under `configuration`, or nil.
    package func unavailableReason(_ name: String, configuration: Configuration) -> String? {
        guard let engine = engines.first(where: { $0.name == name }) else { return "this run provides no \(name) engine" }
        return engine.unavailableReason(configuration: configuration)
    }

    /// Starts the engines named in `needed` for `file` and guards it from the others. On a
    /// failure, what was started is stopped again.
    package func provide(needed: Set<String>, for file: EngineFile) -> Result<FileEngines, EngineStartFailure> {
        var provided = FileEngines()
        if mode == .private {
            // First: a lease then shows its own engine at the sockets of its kind.
            provided.add(EngineGuard(masks: HostEngineSockets.masks()))
        }
        for engine in engines {
            guard needed.contains(engine.name) else {
                provided.add(engine.absent(for: file))
                continue
            }
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
