import TOMLKit

/// How cram `.t` files run: the `[cram]` section of transcript.toml, under the flags
/// `--cram-indent`, `--cram-shell` and `--prysk`.
///
///     [cram]
///     indent = 4              # spaces that set a session line off (cram's --indent; default 2)
///     shell = "/bin/bash"     # the shell (cram's --shell; default /bin/sh)
///     environment = "prysk"   # PRYSK_TEMP for CRAMTMP, $TMPDIR for the temporary path in output
package struct CramSettings: Sendable, Hashable {
    package var indent: Int?
    package var shell: String?
    package var environment: EnvironmentStyle?

    package init(indent: Int? = nil, shell: String? = nil, environment: EnvironmentStyle? = nil) {
        self.indent = indent
        self.shell = shell
        self.environment = environment
    }

    /// These settings, each unset one taken from `base`.
    package func merged(over base: CramSettings) -> CramSettings {
        CramSettings(indent: indent ?? base.indent, shell: shell ?? base.shell, environment: environment ?? base.environment)
    }
}

extension Configuration {
    /// Reads `[cram]`.
    mutating func readCramSection(_ reader: inout ConfigurationReader) {
        guard var section = reader.subsection("cram") else { return }
        section.rejectUnknownKeys(allowed: ["indent", "shell", "environment"])
        if let indent = section.table["indent"] {
            if let number = indent.int, number >= 1, number <= 16 {
                cram.indent = number
            } else {
                section.problem("indent", "'indent' must be a number of spaces from 1 to 16", "write indent = 2")
            }
        }
        cram.shell = section.string("shell")
        if let name = section.string("environment") {
            if let style = EnvironmentStyle(rawValue: name) {
                cram.environment = style
            } else {
                section.problem("environment", "unknown environment '\(name)'",
                                "environments are " + EnvironmentStyle.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        reader.append(section.problems)
    }
}
