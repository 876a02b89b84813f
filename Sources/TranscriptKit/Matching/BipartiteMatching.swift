/// A maximum matching between expected lines and actual lines (`unordered`), by augmenting
/// paths: a line that could match several expected lines never keeps another line from its only
/// partner, as a first-fit assignment would.
enum BipartiteMatching {
    /// For each left vertex, the right vertex it is paired with (nil if none). `edges[i]` lists
    /// the right vertices (0..<rightCount) left vertex i may pair with, preferred first.
    static func maximum(edges: [[Int]], rightCount: Int) -> [Int?] {
        var pairOfLeft = [Int?](repeating: nil, count: edges.count)
        var pairOfRight = [Int?](repeating: nil, count: rightCount)
        // Greedy start. Left vertices with the same candidate list (shared storage) resume the
        // scan where the previous one stopped: everything before it is taken.
        var resume: [UnsafeRawPointer?: Int] = [:]
        for (left, candidates) in edges.enumerated() where !candidates.isEmpty {
            let identity = candidates.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            var index = resume[identity] ?? 0
            while index < candidates.count, pairOfRight[candidates[index]] != nil { index += 1 }
            resume[identity] = index
            if index < candidates.count {
                pairOfLeft[left] = candidates[index]
                pairOfRight[candidates[index]] = left
            }
        }
        var visited = [Bool](repeating: false, count: rightCount)
        for root in edges.indices where pairOfLeft[root] == nil && !edges[root].isEmpty {
            for index in visited.indices { visited[index] = false }
            // Depth-first search for an augmenting path, without recursion: `path[k]` is the right
            // vertex leading from `stack[k]` to `stack[k + 1]`.
            var stack: [(left: Int, next: Int)] = [(root, 0)]
            var path: [Int] = []
            search: while let top = stack.last {
                let candidates = edges[top.left]
                guard top.next < candidates.count else {
                    stack.removeLast()
                    if !path.isEmpty { path.removeLast() }
                    continue
                }
                stack[stack.count - 1].next += 1
                let right = candidates[top.next]
                if visited[right] { continue }
                visited[right] = true
                path.append(right)
                if let owner = pairOfRight[right] {
                    stack.append((owner, 0))
                } else {
                    for (level, frame) in stack.enumerated() {
                        pairOfLeft[frame.left] = path[level]
                        pairOfRight[path[level]] = frame.left
                    }
                    break search
                }
            }
        }
        return pairOfLeft
    }
}
