// TEMPORARY: until the shell session offers pull-based batches.
extension ShellSession {
    enum BatchEvent {
        case started(Int)
        case finished(Int, CommandResult)
    }

    struct CollectedBatch {
        var events: [BatchEvent]
        var position = 0
        mutating func next() -> BatchEvent? {
            guard position < events.count else { return nil }
            defer { position += 1 }
            return events[position]
        }
    }

    func start(batch commands: [String], timeout: Duration?) -> CollectedBatch {
        var events: [BatchEvent] = []
        run(batch: commands, timeout: timeout, started: { events.append(.started($0)) },
            finished: { events.append(.finished($0, $1)) })
        return CollectedBatch(events: events)
    }
}
