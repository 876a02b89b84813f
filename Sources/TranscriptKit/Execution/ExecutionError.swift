/// A shell that could not be started.
package struct ExecutionError: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// The status the shell's session reports as its end: 255, or 125 when the mount namespace
    /// it was to run in could not be made.
    package var exitStatus: Int32
    package init(_ message: String, exitStatus: Int32 = 255) {
        self.message = message
        self.exitStatus = exitStatus
    }
    package var description: String { message }
}
