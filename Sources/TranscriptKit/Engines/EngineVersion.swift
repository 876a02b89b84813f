/// Compares dotted versions numerically ("20.10.24" vs "20.10"): -1, 0 or 1.
package func compareVersions(_ a: String, _ b: String) -> Int {
    func parts(_ s: String) -> [Int] {
        s.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "+" }).map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }
    let x = parts(a), y = parts(b)
    for i in 0..<max(x.count, y.count) {
        let l = i < x.count ? x[i] : 0, r = i < y.count ? y[i] : 0
        if l != r { return l < r ? -1 : 1 }
    }
    return 0
}
