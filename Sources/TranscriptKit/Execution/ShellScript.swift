import Glibc

/// The text the harness gives the shell to run: the protocol between a `ShellSession` and its
/// shell, in plain POSIX shell.
///
/// The shell's standard input is a regular file (unlinked, private to the session) that the
/// harness only ever appends to. A shell reads a regular file in blocks (bash reads a pipe one
/// byte at a time, about half a microsecond each, so that a command never consumes input meant
/// for the next), yet the commands run exactly as if typed at the top level, one line each as
/// before: no `source` or extra `eval` level shows in `set -x` traces, `return` is refused as at
/// a prompt, and bash numbers lines in its messages as it always did. The shell starts with its
/// first batch of commands already in the file. Each batch's last line ends in a wait: a `read`
/// from a pipe of the harness's (opened by its /proc path, or a FIFO in a private directory),
/// opened only for the wait, so the shell holds no extra descriptor while commands run. The
/// harness appends the next batch and writes a newline to the pipe. With a newline and nothing
/// appended, the shell reads the end of its script and exits, as at the end of a script (and at
/// the pipe's end, when the harness is gone, it exits too). bash sizes its read buffer by the
/// file's size when it starts, so the first batch is padded (a comment on its last line) to
/// `block`.
///
/// A command is one line (shown here folded):
///
///     command eval "${__tx:+set -x;}"'TEXT' 3>&- </dev/null;{ __ts=$?;
///     case $- in *x*)__tx=1;set +x;;*)__tx=;;esac;command printf '\036SALT N %d\n' "$__ts">&3;} 2>/dev/null
///
/// - `eval` runs it in the shell process itself, so `cd`, variables and functions carry over;
///   `command` keeps a syntax error in TEXT from ending a POSIX shell (bash never does).
/// - `</dev/null` gives it an empty standard input (`CommandInput.empty`, all a `Channel` asks
///   for today).
/// - `3>&-` closes the marker descriptor for the command, so nothing it leaves running holds it.
/// - After it, a marker goes to fd 3, a second descriptor of the output pipe: the session's salt
///   (a byte 036 and random hex digits), the command's number N and its exit status. Being in the
///   output stream itself, the marker splits output exactly, also output that ends without a
///   newline. `command` keeps a user's function named `printf` out of it.
/// - `set -x` is switched off between commands and back on inside the next `eval`, so a trace shows
///   the command's own lines and none of this wrapper (one level deeper, `++`, as `eval` makes it).
///
/// bash gets the same with fewer system calls: a batch runs as groups of up to `groupLimit`
/// commands (`group`), each command in the plainest line that is safe: bare, without `eval`, for
/// one simple command of plain words (`runBareInGroup`); else `runPlainInGroup`; else, once a
/// command may have redirected the shell's output or switched tracing on, `runInGroup`. Around a
/// command that reads `$?`, the line before saves the status and the reading line restores it
/// (`StatusHandling`), as at a prompt. In bash each command also runs in a loop of one turn
/// (`abortableStart`), so that a command past its time limit can be left (`abortSignal`), and its
/// marker has a third field, the shell's `$!` (`lastBackground`).
enum ShellScript {
    /// The descriptor on which the shell writes markers (the output pipe again).
    static let markerDescriptor: Int32 = 3

    /// bash reads a file in blocks of up to 8 KiB, fewer when the file is smaller when it starts.
    static let block = 8192

    /// The end of a batch's last line: the wait (after the line's own text and a `;`).
    static func wait(_ fifo: String) -> String {
        "command read -r __tw <\(quote(fifo)) 2>/dev/null||exit 0"
    }

    /// A batch: `lines` (each ending in a newline), the last one ending in the wait on `fifo`
    /// instead, and padded with a comment to at least `minimumLength` bytes.
    static func batch(_ lines: [UInt8], waitingOn fifo: String, minimumLength: Int = 0) -> [UInt8] {
        var bytes = lines
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if !bytes.isEmpty { bytes.append(UInt8(ascii: ";")) }
        bytes += wait(fifo).utf8
        let short = minimumLength - bytes.count - 1
        if short > 0 {
            bytes += " #".utf8
            bytes += [UInt8](repeating: UInt8(ascii: "-"), count: max(0, short - 2))
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// `text` as one POSIX single-quoted word: `'` becomes `'\''`.
    /// A NUL cannot be passed to a shell at all and is left out.
    static func quote(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text` as one POSIX single-quoted word.
    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + text.utf8.count + 2)
        bytes.append(UInt8(ascii: "'"))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "'"): bytes += #"'\''"#.utf8
            case 0: continue
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "'"))
    }

    /// The line that runs `command` and writes its marker, numbered `number`, with `salt` (hex digits).
    static func run(_ command: String, number: Int, salt: String, input: String? = nil, to bytes: inout [UInt8]) {
        bytes += #"command eval "${__tx:+set -x;}""#.utf8
        appendQuoted(command, to: &bytes)
        bytes += " 3>&- <".utf8
        bytes += (input.map(quote) ?? "/dev/null").utf8
        bytes += ";{ __ts=$?;case $- in *x*)__tx=1;set +x;;*)__tx=;;esac;command printf '\\036".utf8
        bytes += "\(salt) \(number) %d\\n' \"$__ts\">&3;} 2>/dev/null\n".utf8
    }

    /// The same for bash, which runs a whole batch as one group `:;{ ...;} 3>&- </dev/null` (see
    /// `group`): a redirection costs bash several system calls, so the group's are made once per
    /// batch, not per command. In the group, fd 3's own copy is the one bash saved it to, fd 10
    /// (close-on-exec, so no command sees it; the shell holds nothing else from 4 up), and the
    /// status part closes stderr instead of opening /dev/null to hide its trace under `set -x`.
    /// It assigns nothing unless `set -x` is or was on.
    /// `restoringStatus` starts the line with `__tx_status` (see `statusFunction`); the line
    /// always keeps the command's status in `__ts`.
    static func runInGroup(_ command: String, number: Int, salt: String, restoringStatus: Bool = false, input: String? = nil,
                           to bytes: inout [UInt8]) {
        bytes += abortableStart.utf8
        if restoringStatus { bytes += (statusFunction + ";").utf8 }
        bytes += #"command eval "${__tx:+set -x;}""#.utf8
        appendQuoted(command, to: &bytes)
        appendInput(input, to: &bytes)
        bytes += ";done;{ __ts=$?;command printf '\\036\(salt) \(number) %d %d\\n' $__ts \(lastBackground) >&\(savedMarkerDescriptor);".utf8
        bytes += "case $-${__tx-} in *x*1)set +x;;*x*)__tx=1;set +x;;*1)__tx=;;esac;} 2>&-\n".utf8
    }

    /// The plainest line, for bash in a group while nothing can have redirected the shell's own
    /// standard output or switched `set -x` on (see `mayRedirectOrTrace`): the marker goes straight
    /// to standard output, two system calls instead of nineteen.
    static func runPlainInGroup(_ command: String, number: Int, salt: String, status: StatusHandling = .none,
                                input: String? = nil, to bytes: inout [UInt8]) {
        bytes += abortableStart.utf8
        if status.restores { bytes += (statusFunction + ";").utf8 }
        bytes += "command eval ".utf8
        appendQuoted(command, to: &bytes)
        appendInput(input, to: &bytes)
        appendMarker(number: number, salt: salt, saving: status.saves, to: &bytes)
    }

    /// The same, for a command that `isBareSimpleCommand`, without the `eval`: bash parses and
    /// runs it in the group as it would the `eval`'s text (half the cost). Only while plain lines
    /// are safe, which also means no alias can be defined or switched on (`mayRedirectOrTrace`):
    /// bash expands aliases as it parses, and it parses a whole group before it runs any of it.
    static func runBareInGroup(_ command: String, number: Int, salt: String, status: StatusHandling = .none,
                               to bytes: inout [UInt8]) {
        bytes += abortableStart.utf8
        if status.restores { bytes += (statusFunction + ";").utf8 }
        bytes += command.utf8
        appendMarker(number: number, salt: salt, saving: status.saves, to: &bytes)
    }

    /// A command that answers prompts reads `input` (`AnswerInput`), not the group's /dev/null.
    private static func appendInput(_ input: String?, to bytes: inout [UInt8]) {
        guard let input else { return }
        bytes += " <".utf8
        appendQuoted(input, to: &bytes)
    }

    private static func appendMarker(number: Int, salt: String, saving: Bool, to bytes: inout [UInt8]) {
        if saving {
            bytes += ";done;__ts=$?;command printf '\\036\(salt) \(number) %d %d\\n' $__ts \(lastBackground)\n".utf8
        } else {
            bytes += ";done;command printf '\\036\(salt) \(number) %d %d\\n' $? \(lastBackground)\n".utf8
        }
    }

    /// What a plain or bare line does for `$?`. The marker after a command resets `$?`; a
    /// command that reads it (`$ false` then `$ echo $?`) gets it back from `__ts`, which the
    /// line before it saved: `saves` keeps the status in `__ts`, `restores` returns it to `$?`
    /// with `statusFunction` first. Both cost a little, so only around commands that read `$?`.
    struct StatusHandling: Sendable {
        var saves = false
        var restores = false
        static let none = StatusHandling()
    }

    /// In bash, each command runs in a loop of one turn, and the signal `abortSignal` is trapped to
    /// `break` out of every loop: when a command runs past its time, the harness kills the
    /// processes it started and sends the signal, and the shell leaves the rest of the command
    /// (a list, a loop, even a loop of builtins) and goes on with the next, its state intact.
    static let abortableStart = "for __tx_o in 1;do "
    /// The signal that ends the running command in bash (see `abortableStart`): one no program
    /// sends to a shell.
    static let abortSignal = SIGPWR
    /// The trap for `abortSignal`, set as the shell starts. Quiet under `set -x`.
    static let abortTrapDefinition = "trap '{ break 99;} 2>/dev/null' PWR;"
    /// The shell's last background process (`$!`, 0 before the first), the third field of bash's
    /// markers: what the shell started before the next command is known by it (`ProcessTree`).
    static let lastBackground = "${!-0}"

    /// `__tx_status`, defined as the shell starts (on the first line, so that no line is added):
    /// returns the saved status, but never a failure under `set -e`, which would end the shell.
    static let statusFunction = "__tx_status"
    static let statusFunctionDefinition = "__tx_status(){ case $- in *e*)return 0;;esac;return ${__ts:-0};};"

    /// Whether `command` might set a trap that the status function would set off: `ERR`, or
    /// `DEBUG` (which runs before every simple command). An `EXIT` or signal trap is no matter.
    static func maySetErrorTrap(_ command: String) -> Bool {
        command.contains("trap") && (command.contains("ERR") || command.contains("DEBUG"))
    }

    /// Whether `command` reads the status of the command before it: `$?` or `${?`.
    static func readsStatus(_ command: String) -> Bool {
        command.contains("$?") || command.contains("${?")
    }

    /// Whether `command` is one simple command whose words hold nothing the shell reads as syntax:
    /// letters, digits, blanks and `_ . / : , = + @ % ~ -`, no reserved word, on one line. Such a
    /// text is complete and means the same whether it is parsed at once or later by `eval`.
    static func isBareSimpleCommand(_ command: String) -> Bool {
        var sawWord = false
        var word: [UInt8] = []
        word.reserveCapacity(16)
        for byte in command.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if !word.isEmpty {
                    if isReservedWord(word) { return false }
                    word.removeAll(keepingCapacity: true)
                }
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ","),
                UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: "-"):
                sawWord = true
                if word.count <= 8 { word.append(byte) }
            default:
                return false
            }
        }
        if !word.isEmpty && isReservedWord(word) { return false }
        return sawWord
    }

    private static let reservedWords: Set<[UInt8]> = [
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in",
        "function", "select", "time", "coproc",
    ].reduce(into: []) { $0.insert(Array($1.utf8)) }

    private static func isReservedWord(_ word: [UInt8]) -> Bool {
        word.count <= 8 && reservedWords.contains(word)
    }

    /// Whether `command` might redirect the shell's own output (`exec >file`) or switch `set -x`
    /// on, or change how bash parses (aliases, `shopt`), directly or through what it defines,
    /// reads or evaluates: the plain and bare lines serve no later command then. A cautious test
    /// of the text; a false alarm costs only speed.
    static func mayRedirectOrTrace(_ command: String) -> Bool {
        let utf8 = command.utf8
        return utf8.withContiguousStorageIfAvailable(scanForRedirectOrTrace)
            ?? Array(utf8).withUnsafeBufferPointer(scanForRedirectOrTrace)
    }

    private static let alarmWords: [[UInt8]] = ["set", "exec", "eval", "source", "xtrace", "trap", "SHELLOPTS", "BASH_ENV", "alias", "shopt", "BASHOPTS"]
        .map { Array($0.utf8) }

    private static func scanForRedirectOrTrace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "."):
                // `. FILE` (a `.` that ends the text, as in `cd ..`, sources nothing)
                guard index + 1 < bytes.count else { continue }
                let next = bytes[index + 1]
                if next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") { return true }
            case UInt8(ascii: "s"), UInt8(ascii: "e"), UInt8(ascii: "x"), UInt8(ascii: "t"), UInt8(ascii: "S"), UInt8(ascii: "B"), UInt8(ascii: "a"):
                for word in alarmWords where word[0] == byte && index + word.count <= bytes.count {
                    if UnsafeBufferPointer(rebasing: bytes[index..<index + word.count]).elementsEqual(word) { return true }
                }
            default:
                continue
            }
        }
        return false
    }

    /// Where bash keeps fd 3 while a batch group has it closed: the first free descriptor from 10.
    static let savedMarkerDescriptor = 10

    /// `lines` (commands from `runInGroup`, each ending in a newline) as one group, still one line
    /// per command: the group starts on the first line and ends on the last. (The `:;` keeps the
    /// `{` from starting a line: after an `eval` that ended in an unterminated quote, bash mistakes
    /// a `{` that starts the next line.)
    static func group(_ lines: [UInt8]) -> [UInt8] {
        var bytes = Array(":;{ ".utf8) + lines
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        bytes += ";} 3>&- </dev/null\n".utf8
        return bytes
    }

    /// The most commands in one group: bash parses a group whole before it runs it, and a long
    /// one costs more per command (1000 `echo`s take a third longer as one group than as groups
    /// of 64).
    static let groupLimit = 64

    /// Whether `path` names bash, which runs batches as groups.
    static func isBash(_ path: String) -> Bool {
        path.split(separator: "/").last?.hasPrefix("bash") ?? false
    }

    /// The marker's first bytes as they arrive: byte 036 and the salt.
    static func markerPrefix(salt: String) -> [UInt8] {
        [0x1E] + Array(salt.utf8)
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
