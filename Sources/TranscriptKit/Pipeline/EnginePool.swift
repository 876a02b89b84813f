import Foundation

/// The starts of the files in a run's queue that ask for an engine, taken ahead of the workers
/// (`FileStart`: the file's directory and its engines), so that a file's engines start while the
/// files before it run and are ready when a worker takes it.
///
/// Bounded: at most `capacity` files (the workers, plus one) hold engines at once, from their
/// start until their run hands the engines over to be stopped. Every file gets engines started
/// for it alone. What was started ahead and is never taken (a `--fail-fast` run that stops early)
/// is undone by `close()`; an interruption stops the engines started ahead as any others, through
/// the kinds' `stopAll`, and the launch gate removes their files' directories.
final class EnginePool: @unchecked Sendable {
    private let runner: FileRunner
    private let jobs: [FileJob]
    private let capacity: Int
    /// The jobs whose plan asks for an engine, in the queue's order: the only ones taken ahead.
    private let candidates: [Int]
    private let isCandidate: Set<Int>
    private let condition = NSCondition()
    private let threads = DispatchGroup()

    /// A candidate the pool has looked at.
    private enum Ahead {
        /// Its engines are starting.
        case starting
        case started(FileStart)
        /// Nothing ahead (no engine after all): the worker starts it.
        case left
    }
    private var ahead: [Int: Ahead] = [:]
    /// The candidates whose start holds one of the `capacity` places, until `finished`.
    private var holding = Set<Int>()
    private var taken = Set<Int>()
    private var closed = false

    init(runner: FileRunner, jobs: [FileJob], capacity: Int) {
        self.runner = runner
        self.jobs = jobs
        self.capacity = max(1, capacity)
        candidates = jobs.indices.filter { index in
            guard case .success(let plan) = jobs[index].prepared else { return false }
            return jobs[index].engine != nil || !EngineMatrix.requirements(plan).isEmpty
        }
        isCandidate = Set(candidates)
    }

    /// Starts looking ahead, on a thread of its own.
    func open() {
        guard !candidates.isEmpty else { return }
        spawn { self.lookAhead() }
    }

    /// The start of job `index` when the pool takes it ahead (waiting until it is made), nil when
    /// the worker is to start it.
    func take(_ index: Int) -> FileStart? {
        guard isCandidate.contains(index) else { return nil }
        condition.lock()
        defer { condition.unlock() }
        while true {
            switch ahead[index] {
            case .started(let start)?:
                taken.insert(index)
                return start
            case .left?:
                return nil
            case nil where closed:
                // Halted before it got there (a worker took the job as the run stopped).
                return nil
            case .starting?, nil:
                condition.wait()
            }
        }
    }

    /// Job `index` has run and handed its engines over to be stopped: its place is free.
    func finished(_ index: Int) {
        condition.lock()
        if holding.remove(index) != nil { condition.broadcast() }
        condition.unlock()
    }

    /// Starts nothing more ahead (the run stops early).
    func halt() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops looking ahead, waits for the starts under way and undoes those no worker took.
    func close() {
        halt()
        threads.wait()
        condition.lock()
        let untaken = ahead.compactMap { index, state -> FileStart? in
            guard !taken.contains(index), case .started(let start) = state else { return nil }
            return start
        }
        ahead.removeAll()
        holding.removeAll()
        condition.unlock()
        for start in untaken { runner.discard(start) }
    }

    /// Each candidate in order: decided, then (when its blocks need an engine) started on a
    /// thread of its own once a place is free.
    private func lookAhead() {
        for index in candidates {
            let decision = runner.decide(jobs[index])
            condition.lock()
            guard case .run(let decided) = decision, !decided.selection.neededEngines.isEmpty else {
                if case .ended(let outcome) = decision { ahead[index] = .started(.ended(outcome)) } else { ahead[index] = .left }
                condition.broadcast()
                condition.unlock()
                continue
            }
            while !closed, holding.count >= capacity { condition.wait() }
            if closed {
                condition.unlock()
                return
            }
            holding.insert(index)
            ahead[index] = .starting
            condition.unlock()
            spawn {
                let start = self.runner.start(decided)
                self.condition.lock()
                self.ahead[index] = .started(start)
                if case .ended = start { self.holding.remove(index) }
                self.condition.broadcast()
                self.condition.unlock()
            }
        }
    }

    /// Runs `work` on a thread of its own that `close()` waits for.
    private func spawn(_ work: @escaping @Sendable () -> Void) {
        threads.enter()
        let thread = Thread { [threads] in
            work()
            threads.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
