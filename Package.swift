// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ticktop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ticktop", targets: ["ticktop"]),
        .library(name: "Collector", targets: ["Collector"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0")
    ],
    targets: [
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "Collector",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics")
            ]
        ),
        .target(
            name: "MonitorUI",
            dependencies: [
                "Collector", .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms")
            ]
        ),
        .target(name: "CursesTerminal", dependencies: ["CNCurses", "MonitorUI"]),
        .executableTarget(
            name: "ticktop",
            dependencies: [
                "Collector", "MonitorUI", "CursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird")
            ]
        ),
        .executableTarget(
            name: "ticktop-bench",
            dependencies: [
                "Collector", "MonitorUI", "CollectorTestSupport", "ProviderTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // The SQLite C API (GRDB's SQLite module) for the bare writers the store benchmarks compare with.
                .product(name: "GRDB", package: "GRDB.swift")
            ]
        ),
        // libFuzzer targets over every parser of outside data (Tests/Fuzz/run.sh builds them with
        // libFuzzer; a plain build only replays inputs through them).
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "ticktop-fuzz",
            dependencies: [
                "Collector", "MonitorUI", "CollectorTestSupport", "CFuzzerDriver",
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "CollectorTestSupport",
            dependencies: [
                "Collector",
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        // Loopback HTTP servers that answer in the providers' formats (tests only).
        .target(
            name: "ProviderTestSupport",
            dependencies: [
                "Collector", "CollectorTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        ),
        .testTarget(
            name: "CollectorTests",
            dependencies: [
                "Collector", "CollectorTestSupport", "ProviderTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics")
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MonitorUITests",
            dependencies: ["MonitorUI", "CollectorTestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Collector", "CollectorTestSupport", "ProviderTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log")
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .enableUpcomingFeature("ExistentialAny"),
            .enableUpcomingFeature("MemberImportVisibility")
        ]
}

// `Tests/Fuzz/run.sh` sets TICKTOP_FUZZ_COVERAGE: libFuzzer's coverage instruments ticktop's own
// modules only. libFuzzer scans and clears every counter after each input, and with the
// dependencies instrumented too (800k counters) that alone cost a date or symbol input most of its time.
if Context.environment["TICKTOP_FUZZ_COVERAGE"] != nil {
    for target in package.targets where ["Collector", "MonitorUI", "ticktop-fuzz"].contains(target.name) {
        target.swiftSettings =
            (target.swiftSettings ?? []) + [
                .unsafeFlags(["-sanitize-coverage=edge,inline-8bit-counters,trace-cmp,pc-table"])
            ]
    }
}
