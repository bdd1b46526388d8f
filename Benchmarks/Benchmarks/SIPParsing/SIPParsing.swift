import Benchmark
import SIPCore
import SIPWorkloads

/// SIP message layer benchmarks: one INVITE or 200 OK per inner iteration,
/// 1000 inner iterations per measured sample, so per-message figures read
/// directly off the scaled columns.
///
/// Names carry no spaces: the static thresholds in `Thresholds/` are looked
/// up by name, and the tool writes spaces as `_` but reads them as spaces.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000,
        // Generous: wall clock on a shared 2-core machine is noisy; malloc
        // and instruction counts are nearly deterministic.
        thresholds: [
            .wallClock: .init(relative: [.p50: 25, .p90: 50]),
            .throughput: .init(relative: [.p50: 25, .p90: 50]),
            .instructions: .init(relative: [.p50: 5, .p90: 10]),
            .mallocCountTotal: .init(relative: [.p50: 5, .p90: 5]),
        ]
    )

    let invite = SIPWorkloads.invite
    let ok = SIPWorkloads.okResponse

    // Parse plus the typed headers a proxy reads for every INVITE.
    Benchmark("INVITE.coreHeaders") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SIPWorkloads.parseCore(invite))
        }
    }

    // Parse plus every typed accessor (Allow, Supported, PAI… as lists).
    Benchmark("INVITE.typedParse") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SIPWorkloads.parseTyped(invite))
        }
    }

    // Index only: start line, header ranges, body.
    Benchmark("INVITE.indexParse") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SIPWorkloads.parseIndex(invite))
        }
    }

    // Parse, prepend Via and Record-Route, decrement Max-Forwards, serialize.
    Benchmark("INVITE.proxyRoundTrip") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SIPWorkloads.proxyRoundTrip(invite))
        }
    }

    // Parse a 200 OK, remove the top Via, serialize.
    Benchmark("200OK.topViaRemoval") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try SIPWorkloads.responseRoundTrip(ok))
        }
    }
}
