import Testing
@testable import TranscriptKit

/// The `[docker]` section, parsed by the Docker engine for the configuration file.
@Suite struct DockerSettingsTests {
    @Test func readsEveryKey() throws {
        let config = try Configuration.parse("""
            [docker]
            dockerd = "/usr/sbin/dockerd"
            runtime-root = "/tmp/e"
            fixtures = "busybox"
            images = ["a.tar", "b.tar"]
            setup = "setup.sh"
            storage-driver = "vfs"
            """, path: "transcript.toml")
        var expected = DockerSettings()
        expected.dockerd = "/usr/sbin/dockerd"
        expected.runtimeRoot = "/tmp/e"
        expected.fixtures = "busybox"
        expected.images = ["a.tar", "b.tar"]
        expected.setup = "setup.sh"
        expected.storageDriver = "vfs"
        #expect(config.docker == expected)
        #expect(Configuration().docker == DockerSettings())
    }

    @Test func problemsPointAtTheirKey() {
        let text = """
            shell = "bash"
            [docker]
            dockerd = 5
            fixture = "busybox"
            fixtures = "alpine"
            images = "x.tar"
            [docker.setup]
            x = "1"
            """
        do {
            _ = try Configuration.parse(text, path: "t.toml")
            Issue.record("expected errors")
        } catch {
            #expect(error.items.map { "\($0.line):\($0.column) \($0.message)" } == [
                "3:1 'dockerd' must be a string, not an integer",
                "4:1 unknown key 'fixture' in [docker]",
                "5:1 unknown fixtures 'alpine'",
                "6:1 'images' must be an array of strings",
                "7:1 'setup' in [docker] must be a string, not a table",
            ])
            #expect(error.items.map(\.notes) == [
                ["help: quote the value: dockerd = \"...\""],
                ["help: did you mean 'fixtures'?"],
                ["help: write fixtures = \"busybox\" or \"none\""],
                ["help: write images = [\"fixtures/app.tar\"]"],
                ["help: write setup = \"...\" under [docker] instead of a table [docker.setup]"],
            ])
        }
    }

    @Test func aSectionThatIsNoTable() {
        do {
            _ = try Configuration.parse("docker = \"x\"\n", path: "t.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.map { "\($0.line):\($0.column) \($0.message)" } == ["1:1 'docker' must be a table"])
            #expect(error.items.first?.notes == ["help: write it as a [docker] section"])
        }
    }
}
