/// The text the harness writes to the shell's standard input: the protocol between a
/// `ShellSession` and its shell, in plain POSIX shell.
///
/// A command is sent as one line (shown here folded):
///
///     command eval "${__tx:+set -x;}"'TEXT' 3>&- </dev/null;{ __ts=$?;
///     case $- in *x*)__tx=1;set +x;;*)__tx=;;esac;command printf %d\\n "$__ts">&3;} 2>/dev/null
///
/// The line is terse because bash reads a pipe one byte at a time (so that a command never
/// consumes input meant for the next): each byte costs about half a microsecond, the same order
/// as the rest of a command's round trip. `__tx` remembers `set -x`, `__ts` holds the status.
///
/// - `eval` runs it in the shell process itself, so `cd`, variables and functions carry over;
///   `command` keeps a syntax error in TEXT from ending a POSIX shell (bash never does).
/// - `</dev/null` gives it an empty standard input instead of the rest of this script.
/// - `3>&-` closes the status pipe for the command, so nothing it leaves running holds it.
/// - The exit status goes to the status pipe on fd 3, apart from the output, so output that ends
///   without a newline is kept exactly. `command` keeps a user's function named `printf` out of it.
/// - `set -x` is switched off between commands and back on inside the next `eval`, so a trace shows
///   the command's own lines and none of this wrapper (one level deeper, `++`, as `eval` makes it).
enum ShellScript {
    /// The descriptor on which the shell reports each command's exit status.
    static let statusDescriptor: Int32 = 3

    /// `text` as one POSIX single-quoted word: `'` becomes `'\''`.
    /// A NUL cannot be passed to a shell at all and is left out.
    static func quote(_ text: String) -> String {
        var quoted = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": quoted += #"'\''"#
            case "\0": continue
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }

    /// The line that runs `command` and reports its status.
    static func run(_ command: String) -> String {
        "command eval \"${__tx:+set -x;}\"\(quote(command)) 3>&- </dev/null;{ __ts=$?;"
            + "case $- in *x*)__tx=1;set +x;;*)__tx=;;esac;command printf %d\\\\n \"$__ts\">&3;} 2>/dev/null\n"
    }

    /// The line that exports a variable without output and without a status.
    static func export(_ name: String, value: String) -> String {
        "{ export \(name)=\(quote(value)); } 2>/dev/null\n"
    }

    /// A name the shell accepts as a variable name.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
