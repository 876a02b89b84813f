import Foundation

/// The fixture images of one engine kind in a run: built once per set of archives (the busybox
/// images in a cache directory under the default runtime root, `fixtures-PID-...`), loaded
/// into every private engine of that kind, and removed by `finish()`. Caches of runs killed
/// outright are removed by the next run that builds one.
final class FixtureCache: @unchecked Sendable {
    /// Whether the busybox images carry fully qualified names (docker.io/library/ubuntu), which
    /// engines that do not assume Docker Hub (Podman) need to show them as Docker does.
    let qualifiedNames: Bool
    private let lock = NSLock()
    private var fixtures: [String: Result<DockerFixtures, DockerEngineError>] = [:]
    private var cacheDirectory: String?
    /// Set by `finish()`: the run is over (or interrupted), so nothing is built again.
    private var finished = false

    init(qualifiedNames: Bool) {
        self.qualifiedNames = qualifiedNames
    }

    /// The archives to load: the busybox images when `busybox`, then `extra` (absolute paths);
    /// nil when there are none.
    func fixtureSet(busybox: Bool, extra: [String]) throws(DockerEngineError) -> DockerFixtures? {
        guard busybox || !extra.isEmpty else { return nil }
        let key = (busybox ? "busybox|" : "|") + extra.joined(separator: "|")
        lock.lock()
        defer { lock.unlock() }
        if finished { throw DockerEngineError("cannot build fixture images: the run is over") }
        if let cached = fixtures[key] { return try cached.get() }
        let result: Result<DockerFixtures, DockerEngineError>
        do throws(DockerEngineError) {
            var archives: [String] = []
            if busybox {
                // In a directory of their own: a file's shell sees it (to `docker load -i` them), and
                // not the image stores beside it, which every later engine starts from.
                archives += try DockerFixtures.busyboxImages(cacheDirectory: try cache() + "/archives", qualified: qualifiedNames).archives
            }
            result = .success(try DockerFixtures(archives: archives + extra))
        } catch {
            result = .failure(error)
        }
        fixtures[key] = result
        return try result.get()
    }

    /// The archives a configuration names (`fixtures`, `images` relative to the configuration's directory).
    func fixtureSet(_ configuration: Configuration, fixtures: String?, images: [String]) throws(DockerEngineError) -> DockerFixtures? {
        let base = configuration.path.map { (absolute($0) as NSString).deletingLastPathComponent } ?? FileManager.default.currentDirectoryPath
        return try fixtureSet(busybox: fixtures == "busybox", extra: images.map { $0.hasPrefix("/") ? $0 : base + "/" + $0 })
    }

    /// A directory `name` in the cache for what a kind derives from its archives, made by
    /// `build` once per run (its failure is kept too) and removed with the cache.
    func derived(_ name: String, build: (String) throws(DockerEngineError) -> Void) throws(DockerEngineError) -> String {
        lock.lock()
        defer { lock.unlock() }
        if finished { throw DockerEngineError("cannot build fixture images: the run is over") }
        if let made = derivations[name] { return try made.get() }
        let path = try cache() + "/" + name
        let result: Result<String, DockerEngineError>
        do throws(DockerEngineError) {
            try build(path)
            result = .success(path)
        } catch {
            removeTree(path)
            result = .failure(error)
        }
        derivations[name] = result
        return try result.get()
    }

    private var derivations: [String: Result<String, DockerEngineError>] = [:]

    /// An image store `name` taken from an engine that `start` starts with the fixtures loaded
    /// (`copy` lays what the store keeps of it into the store's path), once per run. The engine
    /// that made it comes back too (to the one call that made it): it serves the file that
    /// asked, in place of an engine started from a copy. On a failure it is stopped.
    func store<Engine: AnyObject>(
        _ name: String, start: () throws(DockerEngineError) -> Engine,
        copy: (Engine, String) throws(DockerEngineError) -> Void, stop: (Engine) -> Void
    ) throws(DockerEngineError) -> (path: String, builder: Engine?) {
        var builder: Engine?
        let path = try derived(name) { (path: String) throws(DockerEngineError) in
            let engine = try start()
            do throws(DockerEngineError) {
                guard mkdir(path, 0o700) == 0 else {
                    throw DockerEngineError("cannot create \(path): \(String(cString: strerror(errno)))")
                }
                try copy(engine, path)
            } catch {
                stop(engine)
                throw error
            }
            builder = engine
        }
        return (path, builder)
    }

    /// Removes the cache; nothing is built after.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if let cacheDirectory { removeTree(cacheDirectory) }
        cacheDirectory = nil
        fixtures.removeAll()
        derivations.removeAll()
        finished = true
    }

    private func cache() throws(DockerEngineError) -> String {
        if let cacheDirectory { return cacheDirectory }
        let root = EngineRuntimeRoots.defaultRoot
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let directory = root + "/fixtures-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DockerEngineError("cannot create \(directory): \(error)")
        }
        cacheDirectory = directory
        _ = Interruption.register { [weak self] in self?.finish() }
        Self.removeStaleCaches(under: root)
        return directory
    }

    /// Fixture caches of runs killed outright (`fixtures-PID-...` whose process is gone).
    private static func removeStaleCaches(under root: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where entry.hasPrefix("fixtures-") {
            let parts = entry.split(separator: "-")
            guard parts.count == 3, let owner = pid_t(parts[1]), owner != getpid(), DockerEngineProcess.isGone(owner) else { continue }
            removeTree(root + "/" + entry)
        }
    }
}
