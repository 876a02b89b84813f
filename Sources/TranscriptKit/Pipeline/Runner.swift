import Foundation

/// Runs many files (or runs of files, `FileJob`), `jobs` at a time, and hands each outcome to
/// `deliver` in the order given as soon as it and every one before it are done, so reports are stable.
package struct Runner: Sendable {
    package let fileRunner: FileRunner
    package let jobs: Int

    package let failFast: Bool

    package init(fileRunner: FileRunner, jobs: Int, failFast: Bool = false) {
        self.fileRunner = fileRunner
        self.jobs = max(1, jobs)
        self.failFast = failFast
    }

    /// Runs each file once.
    package func run(files: [String], deliver: @escaping @Sendable (FileOutcome) -> Void) -> [FileOutcome] {
        run(jobs: files.map { FileJob(path: $0) }, deliver: deliver)
    }

    /// Runs each job: a file, on its matrix engine if it has one. The engines of the next files
    /// start while the files before them run (`EnginePool`, at most one file ahead of the
    /// workers); a file's engines are stopped while the next file runs; this returns once every
    /// one is stopped.
    package func run(jobs files: [FileJob], deliver: @escaping @Sendable (FileOutcome) -> Void) -> [FileOutcome] {
        let stops = EngineStops()
        var configured = self.fileRunner
        configured.stops = stops
        let fileRunner = configured
        let state = RunState(count: files.count)
        let workers = min(jobs, max(1, files.count))
        let pool = EnginePool(runner: fileRunner, jobs: files, capacity: workers + 1)
        pool.open()
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while let index = state.next() {
                    let outcome = fileRunner.run(files[index]) { pool.take(index) }
                    if failFast, outcome.status == .failed || outcome.status == .invalid {
                        state.stop()
                        pool.halt()
                    }
                    pool.finished(index)
                    state.finish(index, outcome, deliver: deliver)
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        pool.close()
        stops.wait()
        return state.outcomes.compactMap { $0 }
    }
}

/// The shared queue and results of a run.
final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var delivered = 0
    private(set) var outcomes: [FileOutcome?]

    init(count: Int) {
        outcomes = Array(repeating: nil, count: count)
    }

    private var stopped = false

    /// Starts no further file (`--fail-fast`).
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, nextIndex < outcomes.count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    /// Records an outcome and delivers, in order and one at a time, every outcome now ready.
    func finish(_ index: Int, _ outcome: FileOutcome, deliver: (FileOutcome) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        outcomes[index] = outcome
        while delivered < outcomes.count, let next = outcomes[delivered] {
            deliver(next)
            delivered += 1
        }
    }
}
