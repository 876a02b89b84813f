/// The expected output of one command, compiled: each expected line turned into a `LinePattern`
/// once, before anything runs, so that bad patterns are reported up front.
package struct OutputMatcher: Sendable {
    package init(command: Command, options: Options, library: PatternLibrary, file: String,
                 knownVariables: inout Set<String>) throws(Diagnostics) {}

    /// Compares a command's actual output (raw bytes) with the expectation.
    package func match(_ output: [UInt8], bindings: inout Bindings) -> MatchResult {
        MatchResult(passed: true, diff: [])
    }
}

/// Named patterns: the built-in table of FORMAT.md plus those of the configuration file.
package struct PatternLibrary: Sendable {
    package init(custom: [String: String] = [:], file: String = "", lines: [String: Int] = [:]) throws(Diagnostics) {}
}

/// Values captured so far in one file (`{{VAR=...}}`) and example bindings (`examples=`).
package struct Bindings: Sendable {
    package var variables: [String: String] = [:]
    package init() {}
}

/// The outcome of comparing one command's output.
package struct MatchResult: Sendable {
    package var passed: Bool
    package var diff: [DiffLine]
    package init(passed: Bool, diff: [DiffLine]) {
        self.passed = passed
        self.diff = diff
    }
}

/// One line of a diff of expected against actual output.
package struct DiffLine: Sendable, Hashable {
    package enum Kind: Sendable, Hashable { case same, expected, actual }
    package var kind: Kind
    package var text: String
    package init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}
