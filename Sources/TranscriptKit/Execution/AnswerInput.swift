import Glibc

/// A command's standard input when the page answers its prompts (`PromptAnswer`): a pipe of the
/// harness's whose read end the command's line opens by its /proc path (as the shell's wait
/// does), or a FIFO where the shell sees no process of the harness, and to whose write end the
/// session writes each answer once its prompt has appeared, then closes it, so that the command
/// reads the end of its input after the last answer.
package final class AnswerInput {
    /// What the command's line redirects its standard input from.
    package let path: String
    private var readFD: Int32
    private var writeFD: Int32
    /// The FIFO to remove at the end, if it is one.
    private let fifo: String?

    /// A new pipe, or with `directory` a new FIFO in it; nil where there is none or (a pipe)
    /// /proc does not show the harness's descriptors.
    package init?(fifoIn directory: String? = nil) {
        if let directory {
            guard let made = Self.makeFIFO(in: directory) else { return nil }
            (path, fifo, readFD, writeFD) = (made.path, made.path, -1, made.fd)
        } else {
            guard let ends = GlibcExtensions.makePipe() else { return nil }
            let path = "/proc/\(getpid())/fd/\(ends.read)"
            guard access(path, R_OK) == 0 else {
                Glibc.close(ends.read)
                Glibc.close(ends.write)
                return nil
            }
            (self.path, fifo, readFD, writeFD) = (path, nil, ends.read, ends.write)
        }
        // An answer never waits on a command that does not read: the pipe holds 64 KiB.
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
    }

    /// A FIFO `answer-N` in `directory` (`GlibcExtensions.makeFIFO`): the command's open of it
    /// does not wait for a writer, and it reads the end once this descriptor is closed.
    private static func makeFIFO(in directory: String) -> (path: String, fd: Int32)? {
        for number in 0..<10_000 {
            let path = directory + "/answer-\(number)"
            if let fd = GlibcExtensions.makeFIFO(at: path) { return (path, fd) }
            if errno != EEXIST { return nil }
        }
        return nil
    }

    deinit {
        for fd in [readFD, writeFD] where fd >= 0 { Glibc.close(fd) }
        if let fifo { unlink(fifo) }
    }

    /// Writes `bytes` (an answer and its newline) for the command to read.
    package func write(_ bytes: [UInt8]) {
        guard writeFD >= 0 else { return }
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(writeFD, $0.baseAddress.map { $0 + done }, bytes.count - done) }
            if count > 0 {
                done += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// No more answers: the command reads the end of its input after what was written.
    package func finishWriting() {
        if writeFD >= 0 { Glibc.close(writeFD) }
        writeFD = -1
    }
}

/// The prompts of one running command still to answer, and the end of its output so far.
struct PromptFeed {
    var answers: [PromptAnswer]
    var next = 0
    let input: AnswerInput
    /// The output's unfinished last line, where a prompt shows (its last bytes only).
    var tail: [UInt8] = []

    static let tailLimit = 1024

    /// Notes output the command printed.
    mutating func note(_ bytes: UnsafeRawBufferPointer) {
        if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
            tail = Array(bytes[(newline + 1)...].suffix(Self.tailLimit))
        } else {
            tail += bytes.suffix(Self.tailLimit)
            if tail.count > Self.tailLimit { tail.removeFirst(tail.count - Self.tailLimit) }
        }
    }

    /// Whether the next prompt to answer shows now: the unfinished line ends with its shape.
    var promptShows: Bool {
        guard next < answers.count else { return false }
        var end = tail.count
        while end > 0, tail[end - 1] == UInt8(ascii: " ") || tail[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        let shape = answers[next].shape
        return end >= shape.count && tail[(end - shape.count)..<end].elementsEqual(shape)
    }

    /// The prompts not answered.
    var unanswered: [PromptAnswer] { Array(answers[next...]) }
}
