/// Receives events while files run (for `--verbose` and live reports). Called from worker threads.
package protocol RunObserver: AnyObject, Sendable {
    func fileStarted(path: String)
    func commandStarted(path: String, line: Int, command: String)
    func commandFinished(path: String, outcome: CommandOutcome)
    func variableCaptured(path: String, name: String, value: String)
    /// The `examples=` bindings so far, as actual value → example (after a command that made one).
    func examplesBound(path: String, examplesByActual: [String: String])
    func fileFinished(_ outcome: FileOutcome)
}

extension RunObserver {
    package func fileStarted(path: String) {}
    package func commandStarted(path: String, line: Int, command: String) {}
    package func commandFinished(path: String, outcome: CommandOutcome) {}
    package func variableCaptured(path: String, name: String, value: String) {}
    package func examplesBound(path: String, examplesByActual: [String: String]) {}
    package func fileFinished(_ outcome: FileOutcome) {}
}
