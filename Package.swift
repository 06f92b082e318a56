// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target: Swift 6 language mode plus the upcoming features Hummingbird uses.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "casebook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "casebook", targets: ["CasebookCLI"]),
        .executable(name: "casebook-bench", targets: ["CasebookBench"]),
        .library(name: "CasebookKit", targets: ["CasebookKit"]),
        .library(name: "CasebookTesting", targets: ["CasebookTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // The plugin API: the only module a plugin imports.
        .target(
            name: "CasebookKit",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Host/CasebookKit",
            swiftSettings: swiftSettings
        ),
        // Durable state: SQLite/PostgreSQL through SQLKit, migrations, jobs, outbox, audit timeline.
        .target(
            name: "CasebookStore",
            dependencies: [
                "CasebookKit",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Host/CasebookStore",
            swiftSettings: swiftSettings
        ),
        // What the Socket Mode client, the simulator's Socket Mode server and the benchmark's load
        // generator share: a WebSocket listener and message assembly on plain NIO channel
        // handlers, and an executor that keeps a task on its loop.
        .target(
            name: "CasebookNIO",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Sources/Host/CasebookNIO",
            swiftSettings: swiftSettings
        ),
        // Slack's Web API method catalogue (scopes, rate tiers, required arguments), generated from
        // Methods/*.json: owned by the runtime (CasebookHost re-exports it), read by the simulator.
        .target(name: "SlackMethods", path: "Sources/Host/SlackMethods", exclude: ["Methods"], swiftSettings: swiftSettings),
        // An in-process Slack that speaks the real wire protocol (Web API, Socket Mode, signed HTTP).
        .target(
            name: "SlackSimulator",
            dependencies: [
                "CasebookKit",
                "CasebookNIO",
                "SlackMethods",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Host/SlackSimulator",
            swiftSettings: swiftSettings
        ),
        // The runtime that implements the API: Slack transports, Web API, storage, jobs, HTTP.
        .target(
            name: "CasebookHost",
            dependencies: [
                "CasebookKit",
                "CasebookStore",
                "CasebookNIO",
                "SlackMethods",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Sources/Host/CasebookHost",
            swiftSettings: swiftSettings
        ),
        // The real host assembled over the Slack simulator, with the fake third-party services:
        // what `casebook playground` runs and what CasebookTesting's `TestHost` names for tests.
        .target(
            name: "CasebookSandbox",
            dependencies: [
                "CasebookKit",
                "CasebookHost",
                "CasebookStore",
                "SlackSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // Each launch of the sandbox host gets its own registry behind `/metrics`.
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The fake third-party services (Fakes/) serve HTTP/1.1 on plain NIO.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Host/CasebookSandbox",
            swiftSettings: swiftSettings
        ),
        // The test harness: re-exports the sandbox (as `TestHost`) and adds test-only utilities.
        .target(
            name: "CasebookTesting",
            dependencies: [
                "CasebookKit",
                "CasebookHost",
                "CasebookStore",
                "CasebookSandbox",
                "SlackSimulator",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Host/CasebookTesting",
            swiftSettings: swiftSettings
        ),
        .target(name: "CasesPlugin", dependencies: ["CasebookKit"], path: "Sources/Plugins/Cases",
                swiftSettings: swiftSettings),
        // The postmortem document both publishers (Confluence, Linear) render; Roles answers its details.
        .target(name: "Postmortem", dependencies: ["CasebookKit", "CasesPlugin"], path: "Sources/Plugins/Postmortem",
                swiftSettings: swiftSettings),
        .target(name: "RolesPlugin", dependencies: ["CasebookKit", "CasesPlugin", "Postmortem"], path: "Sources/Plugins/Roles",
                swiftSettings: swiftSettings),
        .target(name: "PagerDutyPlugin", dependencies: ["CasebookKit", "CasesPlugin", "RolesPlugin"], path: "Sources/Plugins/PagerDuty",
                swiftSettings: swiftSettings),
        .target(name: "StatuspagePlugin", dependencies: ["CasebookKit", "CasesPlugin", "RolesPlugin"], path: "Sources/Plugins/Statuspage",
                swiftSettings: swiftSettings),
        .target(name: "StatusProvidersPlugin", dependencies: ["CasebookKit", "CasesPlugin"], path: "Sources/Plugins/StatusProviders",
                swiftSettings: swiftSettings),
        .target(name: "LinearPostmortemPlugin", dependencies: ["CasebookKit", "CasesPlugin", "RolesPlugin", "Postmortem"], path: "Sources/Plugins/LinearPostmortem",
                swiftSettings: swiftSettings),
        .target(name: "AlertsPlugin", dependencies: ["CasebookKit", "CasesPlugin", "PagerDutyPlugin"], path: "Sources/Plugins/Alerts",
                swiftSettings: swiftSettings),
        .target(name: "ConfluenceRCAPlugin", dependencies: ["CasebookKit", "CasesPlugin", "Postmortem"], path: "Sources/Plugins/ConfluenceRCA",
                swiftSettings: swiftSettings),
        .executableTarget(
            name: "CasebookCLI",
            dependencies: [
                "CasebookKit", "CasebookHost", "CasebookStore", "CasebookSandbox", "SlackSimulator", "CasesPlugin", "RolesPlugin",
                "PagerDutyPlugin", "StatuspagePlugin", "StatusProvidersPlugin", "AlertsPlugin",
                "ConfluenceRCAPlugin",
                "LinearPostmortemPlugin",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/Host/CasebookCLI",
            swiftSettings: swiftSettings
        ),
        // Benchmarks (`swift run -c release casebook-bench`); not part of `swift test`.
        .executableTarget(
            name: "CasebookBench",
            dependencies: [
                "CasebookKit", "CasebookStore", "CasebookTesting", "SlackSimulator", "CasesPlugin", "AlertsPlugin", "CasebookNIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "bench/Sources/CasebookBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KitTests", dependencies: ["CasebookKit", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(
            name: "NIOTests",
            dependencies: [
                "CasebookNIO", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "CasebookKit", "CasebookHost", "CasebookStore", "CasebookTesting", "SlackSimulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        // Checks the deployment artifacts under deploy/ (Dockerfile, Kubernetes manifests) against the host.
        .testTarget(
            name: "DeployTests",
            dependencies: [
                "CasebookHost",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["CasebookKit", "CasebookStore", "CasebookTesting", .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: [
                "CasebookKit", "SlackSimulator", "SlackMethods",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FakeServiceTests",
            dependencies: [
                "CasebookTesting", "CasebookKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationKitTests",
            dependencies: [
                "CasebookKit", "CasebookHost", "CasebookTesting", "SlackSimulator", "CasesPlugin",
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PagerDutyTests",
            dependencies: ["CasebookKit", "CasebookHost", "CasebookTesting", "SlackSimulator", "CasesPlugin", "RolesPlugin", "PagerDutyPlugin"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AlertsTests",
            dependencies: [
                "CasebookKit", "CasebookHost", "CasebookTesting", "SlackSimulator", "CasesPlugin", "AlertsPlugin", "PagerDutyPlugin",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "CasesTests", dependencies: ["CasebookKit", "CasebookTesting", "CasesPlugin", "RolesPlugin"],
                    swiftSettings: swiftSettings),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "CasebookKit", "CasebookHost", "CasebookTesting", "SlackSimulator", "CasesPlugin", "RolesPlugin", "PagerDutyPlugin", "AlertsPlugin",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StatuspageTests", dependencies: ["CasebookKit", "CasebookTesting", "CasesPlugin", "RolesPlugin", "StatuspagePlugin"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ConfluenceRCATests",
            dependencies: ["CasebookKit", "CasebookHost", "CasebookTesting", "SlackSimulator", "CasesPlugin", "RolesPlugin", "Postmortem", "ConfluenceRCAPlugin"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LinearPostmortemTests",
            dependencies: [
                "CasebookKit", "CasebookHost", "CasebookTesting", "SlackSimulator", "CasesPlugin", "RolesPlugin", "Postmortem", "LinearPostmortemPlugin",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PostmortemTests", dependencies: ["CasebookKit", "CasebookTesting", "CasesPlugin", "RolesPlugin", "Postmortem"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StatusProvidersTests", dependencies: ["CasebookKit", "CasebookTesting", "CasesPlugin", "StatusProvidersPlugin"],
            swiftSettings: swiftSettings),
    ]
)
