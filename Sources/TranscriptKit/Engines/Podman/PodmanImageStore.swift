import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The fixture images already in Podman's storage: loading archives through Podman's API takes
/// about half a second per engine (it copies every image once per tag), so the first engine of
/// a run loads them and its storage (`<driver>`, `<driver>-images`, `<driver>-layers` under the
/// graph root, which hold no absolute path) is kept in the run's fixture cache; every engine
/// after starts with a copy of it. What a file does to its images then changes its copy alone.
enum PodmanImageStore {
    /// The storage directories a store copies, for `driver`.
    static func directories(driver: String) -> [String] {
        [driver, driver + "-images", driver + "-layers"]
    }

    /// Where a store for `fixtures` and `driver` is kept in `cache`, built on first use; the
    /// engine that built it comes back to that call, to serve its file.
    static func store(for fixtures: DockerFixtures, driver: String, in cache: FixtureCache,
                      start: (DockerFixtures) throws(DockerEngineError) -> PodmanEngine) throws(DockerEngineError) -> (path: String, builder: PodmanEngine?) {
        let name = "podman-store-" + SHA256.hex(Array((fixtures.archives + [driver]).joined(separator: "\n").utf8)).prefix(16)
        return try cache.store(name, start: { () throws(DockerEngineError) in try start(fixtures) }, copy: { (engine, path) throws(DockerEngineError) in
            for directory in directories(driver: driver) {
                try copy(engine.runtimeDirectory + "/root/" + directory, to: path + "/" + directory)
            }
        }, stop: { $0.stop(grace: .zero) })
    }

    /// Copies a storage tree as it is (owners, modes, links, device nodes: `cp -a`).
    static func copy(_ source: String, to destination: String) throws(DockerEngineError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-a", "--", source, destination]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { throw DockerEngineError("cannot run cp: \(error)") }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DockerEngineError("cannot copy \(source) to \(destination): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
