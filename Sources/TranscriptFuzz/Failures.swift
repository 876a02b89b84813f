import Foundation

/// The invariant failures of a fuzzing session: counted by kind, the first input of each kind
/// minimized and saved (input.md and what was seen, detail.txt) under the failures folder.
final class Failures {
    private let folder: String
    private let check: ([UInt8]) -> Violation?
    private(set) var counts: [String: Int] = [:]
    private(set) var cases = 0

    init(folder: String, check: @escaping ([UInt8]) -> Violation?) {
        self.folder = folder
        self.check = check
    }

    /// Checks one case; records a failure.
    func run(_ bytes: [UInt8]) {
        cases += 1
        guard let violation = check(bytes) else { return }
        counts[violation.kind, default: 0] += 1
        guard counts[violation.kind] == 1 else { return }
        let small = minimize(bytes, kind: violation.kind)
        save(small, violation: check(small) ?? violation)
    }

    /// Records a case checked elsewhere (no minimizing: `check` may be slow).
    func record(_ bytes: [UInt8], violation: Violation?) {
        cases += 1
        guard let violation else { return }
        counts[violation.kind, default: 0] += 1
        if counts[violation.kind] == 1 { save(bytes, violation: violation) }
    }

    /// The summary printed at the end.
    func summary(mode: String, seconds: Double) -> String {
        var out = "fuzz (\(mode)): \(cases) cases in \(String(format: "%.0f", seconds))s, "
            + "\(counts.values.reduce(0, +)) invariant failures in \(counts.count) kinds\n"
        for (kind, count) in counts.sorted(by: { $0.value > $1.value }) {
            out += "  \(count)\t\(kind)\t\(folder)/\(Self.slug(kind))/input.md\n"
        }
        return out
    }

    /// A smaller input that breaks the same invariant: whole lines removed first, then bytes
    /// (at most 1500 checks and 10 seconds, well inside libFuzzer's time limit of a case).
    func minimize(_ bytes: [UInt8], kind: String) -> [UInt8] {
        var budget = 1500
        let deadline = Date().addingTimeInterval(10)
        func same(_ candidate: [UInt8]) -> Bool { Date() < deadline && check(candidate)?.kind == kind }
        var lines = Self.lines(bytes)
        lines = reduce(lines, budget: &budget) { same($0.flatMap { $0 }) }
        var current = lines.flatMap { $0 }
        if current.count <= 4096 {
            current = reduce(current.map { [$0] }, budget: &budget) { same($0.flatMap { $0 }) }.flatMap { $0 }
        }
        return current
    }

    /// Delta debugging over pieces: removes chunks, halving their size, while `keeps` holds
    /// (one check of `budget` each).
    private func reduce(_ pieces: [[UInt8]], budget: inout Int, keeps: ([[UInt8]]) -> Bool) -> [[UInt8]] {
        var pieces = pieces
        var chunk = max(1, pieces.count / 2)
        while chunk >= 1, budget > 0 {
            var start = 0
            var removed = false
            while start < pieces.count, budget > 0 {
                var candidate = pieces
                candidate.removeSubrange(start..<min(start + chunk, pieces.count))
                budget -= 1
                if keeps(candidate) {
                    pieces = candidate
                    removed = true
                } else {
                    start += chunk
                }
            }
            if !removed { chunk /= 2 }
        }
        return pieces
    }

    private func save(_ bytes: [UInt8], violation: Violation) {
        let directory = folder + "/" + Self.slug(violation.kind)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/input.md", contents: Data(bytes))
        FileManager.default.createFile(atPath: directory + "/detail.txt",
                                       contents: Data("\(violation.kind)\n\(violation.detail)\n".utf8))
    }

    /// A folder name for a kind.
    static func slug(_ kind: String) -> String {
        String(kind.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(60))
    }

    /// Lines with their endings.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            current.append(byte)
            if byte == UInt8(ascii: "\n") {
                lines.append(current)
                current = []
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
