// swift-tools-version:6.0
import PackageDescription

/// The release binary links Swift's runtime and Foundation statically (see the executable's
/// linker settings); its modules are compiled against the static runtime's module maps, which
/// name every library Foundation needs.
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]

let package = Package(
    name: "transcript",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "transcript", targets: ["transcript"]),
        .library(name: "TranscriptKit", targets: ["TranscriptKit"]),
        .executable(name: "TranscriptFuzz", targets: ["TranscriptFuzz"]),
    ],
    dependencies: [
        // The CLI: subcommands, options, help and completion.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // transcript.toml: a real TOML parser with line-accurate errors.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(name: "PCRE2", dependencies: ["CPCRE2"], swiftSettings: staticRuntime),
        // The shell's start with clone3 (born in its cgroup, its mounts made in the child): C, for
        // what runs between the clone and the exec of a multi-threaded process.
        .target(name: "CSpawn"),
        .target(
            name: "TranscriptKit",
            dependencies: [
                "PCRE2",
                "CSpawn",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: staticRuntime
        ),
        .executableTarget(
            name: "transcript",
            dependencies: [
                "TranscriptKit",
                "PCRE2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRuntime,
            linkerSettings: [
                // Swift's runtime and Foundation linked into the release binary: the dynamic loader
                // then has a few libraries to relocate instead of a dozen, and every run starts
                // about 4 ms sooner (half the start-up time).
                .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // The fuzz target: `scripts/fuzz` builds it with libFuzzer (`--sanitize=fuzzer` and
        // `-DLIBFUZZER`, in a scratch path of its own); built plainly it is a seeded mutation fuzzer.
        .executableTarget(name: "TranscriptFuzz", dependencies: ["TranscriptKit"], path: "Sources/TranscriptFuzz"),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "TranscriptKitTests", dependencies: ["TranscriptKit"]),
        .testTarget(name: "TranscriptFuzzTests", dependencies: ["TranscriptFuzz"]),
    ]
)
