import Foundation

/// A status line at the bottom of a terminal: files done of total, the files running, the time
/// since the start; redrawn in place a few times a second, and cleared before other output.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let out: ReportSink
    private var done = 0
    private var running: [String] = []
    private var stopped = false
    private let startTime = ContinuousClock.now
    private var timer: DispatchSourceTimer?

    init(total: Int, out: ReportSink) {
        self.total = total
        self.out = out
    }

    func start() {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(200), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in self?.redraw() }
        timer.resume()
        self.timer = timer
    }

    func started(_ path: String) {
        lock.lock()
        running.append(path)
        lock.unlock()
    }

    func finished(_ path: String) {
        lock.lock()
        done += 1
        if let i = running.firstIndex(of: path) { running.remove(at: i) }
        lock.unlock()
    }

    /// Clears the line, prints `text`, and draws the line again.
    func printAbove(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        out.write("\r\u{1B}[K" + text + (stopped ? "" : line()))
    }

    func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
        timer?.cancel()
        out.write("\r\u{1B}[K")
    }

    private func redraw() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        out.write("\r\u{1B}[K" + line())
    }

    private func line() -> String {
        let elapsed = (ContinuousClock.now - startTime).seconds
        var names = running.prefix(3).joined(separator: ", ")
        if running.count > 3 { names += ", +\(running.count - 3)" }
        var text = "[\(done)/\(total)] \(String(format: "%.1fs", elapsed))"
        if !names.isEmpty { text += " running: " + names }
        let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        if text.count > columns - 1 { text = String(text.prefix(max(10, columns - 1))) }
        return "\u{1B}[2m" + text + "\u{1B}[0m"
    }
}
