import Foundation
import Glibc

/// A block marked `background`, running in a second shell of its file while the next blocks run
/// in the first ("in another terminal, run ..."). The second shell starts in the first shell's
/// working directory, with the same environment and engine, and with the first shell's variables
/// and functions (`stateCommand`); its commands run one after another on a thread of their own,
/// each with the block's time limit. `FileRunner` collects it once it has ended, or when the
/// file's last block is done (waiting `grace` at most, then killing it).
final class BackgroundBlock: @unchecked Sendable {
    /// What it came to: the results of the commands that ran, in order.
    struct Finished {
        var results: [CommandResult]
        /// The file ended first: the last result is of the command killed then.
        var killedAtFileEnd = false
        var duration: Duration
    }

    let batch: FileExecution.Batch
    private let shell: ShellSession
    private let lock = NSLock()
    private var results: [CommandResult] = []
    private var done = false
    private let ended = DispatchSemaphore(value: 0)
    private let start = ContinuousClock.now
    private var interruption: Int?

    /// How long a background block may still run once the file's last block is done.
    static let grace: Duration = .seconds(5)

    /// Starts the second shell's thread: `state` (the first shell's variables and functions, as
    /// shell text) runs first, unreported, then the block's commands.
    init(_ batch: FileExecution.Batch, configuration: ShellSession.Configuration, state: String?) throws(ExecutionError) {
        self.batch = batch
        shell = try ShellSession(configuration: configuration)
        let shell = shell
        interruption = Interruption.register { shell.interrupt() }
        let thread = Thread { [self] in run(state: state) }
        thread.start()
    }

    deinit { terminate() }

    private func run(state: String?) {
        if let state { _ = shell.run(state, timeout: batch.timeout) }
        shell.run(batch: batch.texts, timeout: batch.timeout) { [self] _, result in
            lock.lock()
            results.append(result)
            lock.unlock()
        }
        lock.lock()
        done = true
        lock.unlock()
        ended.signal()
    }

    /// Whether every command has ended (or the shell has).
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    /// Waits for the block at most `limit`; a block still running then is killed with everything
    /// it started. The second shell is ended either way.
    func collect(waitingAtMost limit: Duration) -> Finished {
        var killed = false
        if ended.wait(timeout: .now() + .milliseconds(Int(limit.seconds * 1000))) == .timedOut {
            killed = true
            shell.interrupt()
            ended.wait()
        }
        terminate()
        lock.lock()
        defer { lock.unlock() }
        return Finished(results: results, killedAtFileEnd: killed && !results.isEmpty,
                        duration: ContinuousClock.now - start)
    }

    /// Ends the second shell and everything it started.
    func terminate() {
        if let interruption { Interruption.unregister(interruption) }
        interruption = nil
        shell.terminate()
    }

    /// The shell text that prints the first shell's variables and functions as shell text to run
    /// in the second (bash: all variables but bash's own, and functions; other shells: exported
    /// variables).
    static func stateCommand(bash: Bool) -> String {
        guard bash else { return "export -p" }
        return "for __tx_v in $(compgen -v); do case $__tx_v in BASH*|FUNCNAME|GROUPS|PIPESTATUS|DIRSTACK|LINENO|SECONDS|"
            + "RANDOM|SRANDOM|EPOCH*|HISTCMD|PPID|UID|EUID|SHELLOPTS|SHLVL|_|__t*|PWD|OLDPWD|COMP*) ;; "
            + "*) declare -p \"$__tx_v\";; esac; done 2>/dev/null; declare -f"
    }
}
