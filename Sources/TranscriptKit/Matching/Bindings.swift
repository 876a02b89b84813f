/// Values captured so far in one file (`{{VAR=...}}`) and example bindings (`examples=`).
/// One value per transcript file, threaded through its commands in order.
package struct Bindings: Sendable {
    /// Captured variables, name → text.
    package var variables: [String: String] = [:]
    /// Example values bound to actual values.
    package var examples = ExampleBindings()
    /// Names captured since the last `takeNewlyCaptured()`, in order, without repeats.
    package private(set) var newlyCaptured: [String] = []

    package init() {}

    /// Bindings that start with `variables` set, as the built-in ones are at a file's start.
    package init(variables: [String: String]) {
        self.variables = variables
    }

    /// Variables every file has from its start, as if captured before its first line: the
    /// file's temporary directory (`{{$TMPDIR}}`) and the transcript's own (`{{$TRANSCRIPT_DIR}}`),
    /// the values the commands see in their environment.
    package static let builtInNames = ["TMPDIR", "TRANSCRIPT_DIR"]

    /// The built-in variables' values in a file's `environment`.
    static func builtIn(from environment: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in builtInNames { values[name] = environment[name] }
        return values
    }

    /// The command as it should run: every bound example value in it (a whole word) replaced by
    /// the actual value it was bound to.
    package func substitute(in commandText: String) -> String {
        examples.substitute(in: commandText)
    }

    /// The variables captured since the last call, with their values, for exporting to the shell.
    package mutating func takeNewlyCaptured() -> [(name: String, value: String)] {
        let names = newlyCaptured
        newlyCaptured = []
        return names.map { (name: $0, value: variables[$0] ?? "") }
    }

    /// Takes over what one command's match produced.
    mutating func commit(_ state: MatchState) {
        variables = state.variables
        examples = state.examples
        for name in state.captured where !newlyCaptured.contains(name) {
            newlyCaptured.append(name)
        }
    }
}

/// What matching one command has established so far along one alignment: a copy of the file's
/// bindings plus what this command's lines captured and bound.
struct MatchState: Sendable {
    var variables: [String: String]
    var examples: ExampleBindings
    /// Variables captured by this command, in order (may repeat).
    var captured: [String] = []

    init(_ bindings: Bindings) {
        variables = bindings.variables
        examples = bindings.examples
    }
}
