import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The fixture images already in a Docker data root: loading the archives through the API takes
/// most of a private engine's start, so the first engine of a run for a set of fixtures (and a
/// storage driver) loads them, and its image store (`image` and the driver's directory under
/// the data root, which name no absolute path) is kept in the run's fixture cache; every engine
/// after starts with a copy of it, and the daemon takes the copy's driver as its prior one.
/// What a file does to its images changes its copy alone.
enum DockerImageStore {
    /// Where a store for `fixtures` under the configured `storageDriver` is kept in `cache`,
    /// built on first use by an engine that `start` starts with them loaded; that engine comes
    /// back to the call that built the store, to serve its file.
    static func store(for fixtures: DockerFixtures, storageDriver: String?, in cache: FixtureCache,
                      start: (DockerFixtures) throws(DockerEngineError) -> DockerEngine) throws(DockerEngineError) -> (path: String, builder: DockerEngine?) {
        let key = (fixtures.archives + [storageDriver ?? "default"]).joined(separator: "\n")
        let name = "docker-store-" + SHA256.hex(Array(key.utf8)).prefix(16)
        return try cache.store(name, start: { () throws(DockerEngineError) in try start(fixtures) }, copy: { (engine, path) throws(DockerEngineError) in
            for directory in ["image", engine.storageDriver] {
                try PodmanImageStore.copy(engine.runtimeDirectory + "/data/" + directory, to: path + "/" + directory)
            }
        }, stop: { $0.stop(grace: .zero) })
    }

    /// Lays a copy of `store` into the data root `dataRoot`, before its daemon starts.
    static func lay(_ store: String, into dataRoot: String) throws(DockerEngineError) {
        guard mkdir(dataRoot, 0o711) == 0 else {
            throw DockerEngineError("cannot create \(dataRoot): \(String(cString: strerror(errno)))")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: store)) ?? []
        for entry in entries.sorted() {
            try PodmanImageStore.copy(store + "/" + entry, to: dataRoot + "/" + entry)
        }
    }
}
