import Benchmark
import Routing
import RoutingWorkloads

/// Least-cost lookup over one million prefixes of four carriers: 1000
/// lookups per measured sample, so per-lookup figures read directly off the
/// scaled columns. Building the table (seconds in debug) happens once, in setup.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000,
        thresholds: [
            .wallClock: .init(relative: [.p50: 25, .p90: 50]),
            .instructions: .init(relative: [.p50: 5, .p90: 10]),
            .mallocCountTotal: .init(relative: [.p50: 5, .p90: 5]),
        ]
    )

    let workload = RoutingWorkload()
    let table = workload.router.table
    let day = workload.time.day()

    // The trie walk alone: every carrier's longest prefix, no allocation.
    Benchmark("LCR.lookup1M") { benchmark in
        var lookup = RateLookup(carrierCount: table.carriers.count)
        var i = 0
        for _ in benchmark.scaledIterations {
            workload.numbers[i & 4095].withUnsafeBufferPointer { table.lookup(digits: $0, day: day, into: &lookup) }
            blackHole(lookup.rateIndex[0])
            i += 1
        }
    }

    // The whole decision: blocks, rules, lookup, cost order, weighted tie-break.
    Benchmark("LCR.route1M") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            blackHole(try? workload.router.route(workload.e164[i & 4095], at: workload.time, random: UInt64(i)))
            i += 1
        }
    }
}
