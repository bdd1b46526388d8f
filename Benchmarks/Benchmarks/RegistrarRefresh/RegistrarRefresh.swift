import Benchmark
import RegistrarWorkloads

/// The registrar answering an authenticated REGISTER refresh (reused nonce,
/// qop=auth, nc+1, CSeq+1): parse, digest check, binding update, the 200's
/// bytes. 1000 refreshes per measured sample, so per-refresh figures read
/// directly off the scaled columns. The requests are built before the
/// measurement starts.
///
/// The writer's commit runs on the measuring thread after each refresh
/// (the registrar answers from it); its store is in memory and allocates
/// nothing for a refresh, so the mallocs counted beyond the receive
/// thread's are the commit's own bookkeeping.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 2_000,
        thresholds: [
            .wallClock: .init(relative: [.p50: 25, .p90: 50]),
            .throughput: .init(relative: [.p50: 25, .p90: 50]),
            .instructions: .init(relative: [.p50: 5, .p90: 10]),
            .mallocCountTotal: .init(relative: [.p50: 5, .p90: 5]),
        ]
    )

    nonisolated(unsafe) let workload = try! RegisterWorkload()

    Benchmark("REGISTER.refresh") { benchmark in
        let requests = benchmark.scaledIterations.map { _ in workload.nextRefresh() }
        benchmark.startMeasurement()
        for bytes in requests {
            blackHole(try workload.receive(bytes))
            workload.commit()
            blackHole(workload.respond())
        }
        benchmark.stopMeasurement()
    }
}
