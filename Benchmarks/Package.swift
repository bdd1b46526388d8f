// swift-tools-version: 6.1
// Benchmarks for Switchboard's SIP message layer and least-cost routing, kept out of the main
// package so that the benchmark dependency never reaches the product.
import PackageDescription

let package = Package(
    name: "SwitchboardBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Switchboard", path: ".."),
        // Only the malloc interposer trait: the default RuntimeInterposer
        // (ARC counters on Swift 6.3/Linux) is not needed for these metrics.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The measured work, shared by the benchmarks and the callgrind loop.
        .target(
            name: "SIPWorkloads",
            dependencies: [.product(name: "SIPCore", package: "Switchboard")]
        ),
        .executableTarget(
            name: "SIPParsing",
            dependencies: [
                "SIPWorkloads",
                .product(name: "SIPCore", package: "Switchboard"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SIPParsing",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A million-prefix rate table and lookup numbers, generated from a fixed seed.
        .target(name: "RoutingWorkloads", dependencies: [.product(name: "Routing", package: "Switchboard")]),
        .executableTarget(
            name: "LCRLookup",
            dependencies: [
                "RoutingWorkloads", .product(name: "Routing", package: "Switchboard"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/LCRLookup",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A registrar answering authenticated REGISTER refreshes, in process.
        .target(
            name: "RegistrarWorkloads",
            dependencies: [
                .product(name: "SwitchboardServer", package: "Switchboard"),
                .product(name: "SIPCore", package: "Switchboard"),
            ]
        ),
        .executableTarget(
            name: "RegistrarRefresh",
            dependencies: ["RegistrarWorkloads", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/RegistrarRefresh",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // `RegisterLoop N`: N authenticated REGISTER refreshes, for callgrind.
        .executableTarget(name: "RegisterLoop", dependencies: ["RegistrarWorkloads"]),
        // `ParseLoop typed|proxy|response N`: runs one workload N times, for callgrind.
        .executableTarget(
            name: "ParseLoop",
            dependencies: ["SIPWorkloads", .product(name: "SIPCore", package: "Switchboard")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
