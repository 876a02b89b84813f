/// A Docker engine that could not be started, or fixtures that could not be built or loaded.
package struct DockerEngineError: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// The last lines the daemon wrote to its log, when the daemon was involved.
    package var logTail: String?

    package init(_ message: String, logTail: String? = nil) {
        self.message = message
        self.logTail = logTail
    }

    package var description: String {
        guard let logTail, !logTail.isEmpty else { return message }
        return message + "\n--- end of the daemon's log ---\n" + logTail
    }
}
