// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "firedrill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "firedrill", targets: ["firedrill"]),
        .library(name: "FiredrillCore", targets: ["FiredrillCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Yams 5 keeps duplicate mapping keys in the composed tree, so the validator can report every one of them.
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // TLS for the native Redis client; only FiredrillDrivers links it, and only `TLSStream` touches its types.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // The run's signal handler: async-signal-safe, so it is C; Swift sees only the pipe it writes to.
        .target(name: "CFiredrillSignals"),
        // splice(2) and ppoll(2) for network.proxy, which Swift's libc module does not expose.
        .target(name: "CFiredrillSplice"),
        .target(
            name: "FiredrillCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FiredrillDrivers",
            dependencies: [
                "FiredrillCore", "CCurl", "CLibPQ", "COpenSSL", "CFiredrillSplice",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FiredrillReport",
            dependencies: ["FiredrillCore"],
            swiftSettings: strict
        ),
        // The drill program: the run history (SQLite by default, PostgreSQL for a team through the libpq
        // wrapper), plan locks across runners, notifications, schedules exported to systemd and Kubernetes.
        .target(
            name: "FiredrillStore",
            dependencies: [
                "FiredrillCore", "FiredrillDrivers", "FiredrillReport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FiredrillSandbox",
            dependencies: ["FiredrillCore"],
            swiftSettings: strict
        ),
        .target(
            name: "FiredrillTestSupport",
            dependencies: ["FiredrillCore", "FiredrillDrivers"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "firedrill",
            dependencies: [
                "FiredrillCore", "FiredrillDrivers", "FiredrillReport", "FiredrillSandbox", "FiredrillStore", "CFiredrillSignals",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FiredrillCoreTests",
            dependencies: ["FiredrillCore", "FiredrillTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FiredrillDriversTests",
            dependencies: ["FiredrillCore", "FiredrillDrivers", "FiredrillTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FiredrillIntegrationTests",
            dependencies: ["FiredrillCore", "FiredrillDrivers", "FiredrillReport", "FiredrillSandbox", "FiredrillStore", "FiredrillTestSupport"],
            swiftSettings: strict
        ),
    ]
)
