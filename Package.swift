// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .library(name: "SIPCore", targets: ["SIPCore"]),
        .library(name: "Routing", targets: ["Routing"]),
        .library(name: "SwitchboardServer", targets: ["SwitchboardServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // System C libraries, linked through pkg-config; apt names the Debian packages.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSRTP",
            pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"])]
        ),
        .systemLibrary(
            name: "COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]
        ),
        // The little C that Swift cannot call directly.
        .target(
            name: "CSwitchboardShims",
            dependencies: ["COpenSSL"]
        ),
        .target(name: "SIPCore"),
        // Socket addresses and datagram buffers shared by the SIP transports and the media relay.
        .target(name: "SocketCore", dependencies: ["CSwitchboardShims"]),
        // Listeners and connections: UDP, TCP, TLS (OpenSSL memory BIOs); RFC 3263 targets.
        .target(
            name: "SIPTransport",
            dependencies: [
                "SIPCore", "SocketCore", "CSwitchboardShims", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // RFC 3261 section 17 transactions, timers on a wheel, a virtual clock for tests.
        .target(name: "SIPTransaction", dependencies: ["SIPCore", "SIPTransport"]),
        // Location service, digest authentication (RFC 7616/8760), the binding and user store (SQLite).
        .target(
            name: "Registrar",
            dependencies: [
                "SIPCore", "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Number normalization, rate decks, least-cost lookup, carrier profiles, CPS and channel limits.
        .target(name: "Routing", dependencies: ["SIPCore"]),
        // E911 policy: detection, dispatchable location, Bandwidth routing, PIDF-LO, notifications.
        .target(name: "Emergency", dependencies: ["SIPCore", "Routing"]),
        // RTP/RTCP relay, SRTP (libsrtp2), Opus and G.711 transcoding (libopus), port pool.
        .target(
            name: "Media",
            dependencies: [
                "SIPCore", "SocketCore", "CSwitchboardShims", "CSRTP", "COpus",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The proxy core (RFC 3261 section 16): routing decision, forking, responses.
        .target(
            name: "CallCore",
            dependencies: [
                "SIPCore", "SIPTransport", "SIPTransaction", "Registrar", "Media", "Routing", "Emergency",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // pcap/pcapng reading and TCP reassembly for `switchboard decode` and the fixture tests.
        .target(name: "PacketCapture"),
        .target(
            name: "SwitchboardServer",
            dependencies: [
                "SIPCore",
                "PacketCapture",
                "SIPTransport",
                "SIPTransaction",
                "CallCore",
                "Registrar",
                "Routing",
                "Emergency",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardServer",
                "SIPCore",
                "PacketCapture",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SystemLibrariesTests",
            dependencies: ["COpenSSL", "CSRTP", "COpus", "CSwitchboardShims", "Media"]
        ),
        .testTarget(
            name: "SIPCoreTests",
            dependencies: ["SIPCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SIPTransportTests", dependencies: ["SIPTransport", "SIPCore"]),
        .testTarget(name: "SIPTransactionTests", dependencies: ["SIPTransaction", "SIPTransport", "SIPCore"]),
        .testTarget(name: "CallCoreTests", dependencies: ["CallCore", "SIPTransaction", "SIPTransport", "SIPCore"]),
        .testTarget(
            name: "RegistrarTests",
            dependencies: ["Registrar", "SIPCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "SIPCore"]),
        .testTarget(name: "EmergencyTests", dependencies: ["Emergency", "SIPCore", "Routing"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "SIPCore"]),
        .testTarget(
            name: "PacketCaptureTests",
            dependencies: ["PacketCapture"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SwitchboardServerTests",
            dependencies: ["SwitchboardServer", "SIPCore", "Routing"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
