// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "transcript",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "transcript", targets: ["transcript"]),
        .library(name: "TranscriptKit", targets: ["TranscriptKit"]),
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
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        .target(
            name: "TranscriptKit",
            dependencies: [
                "PCRE2",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "transcript",
            dependencies: [
                "TranscriptKit",
                "PCRE2",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "TranscriptKitTests", dependencies: ["TranscriptKit"]),
    ]
)
