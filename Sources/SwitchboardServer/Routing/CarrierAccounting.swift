import CallCore
import Dispatch
import Logging
import Routing
import Synchronization

/// Every carrier's live state, shared by all shards' B2BUAs: calls-per-
/// second pacing, channels in use, the circuit breaker and the OPTIONS
/// health, consulted before each attempt and updated after it; and the
/// CDR writer each ended call's records go to.
///
/// One mutex over small value types, held for a few comparisons per call
/// attempt, never across I/O.
final class CarrierAccounting: B2BUACallObserver {
    struct Carrier {
        var profile: CarrierProfile
        var pacer: CallPacer?
        var channels: ChannelCounter
        var breaker: CircuitBreaker
        var health = TrunkHealth()
        /// Whether the 80 % warning for channels was logged (again only after dropping below).
        var channelWarning = false
    }

    private let carriers = Mutex<[String: Carrier]>([:])
    private let cdr: (any CDRSink)?
    private let emergency: EmergencyCalls?
    private let logger: Logger
    private let clock: @Sendable () -> MonotonicTime
    /// Per-customer channel limits, checked once per call.
    let customers: CustomerChannels

    init(
        cdr: (any CDRSink)?, emergency: EmergencyCalls? = nil, logger: Logger,
        clock: @escaping @Sendable () -> MonotonicTime = { MonotonicTime(nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds)) }
    ) {
        self.cdr = cdr
        self.emergency = emergency
        self.logger = logger
        self.clock = clock
        customers = CustomerChannels(logger: logger)
    }

    func admitCall(_ accounting: CallAccounting) -> CallAdmission {
        customers.admit(accounting)
    }

    func callReleased(_ accounting: CallAccounting) {
        customers.release(accounting)
    }

    /// The carriers of a (re)loaded configuration: limits follow the new
    /// profiles; calls in progress keep their channels, breakers and health carry over.
    func configure(_ profiles: [String: CarrierProfile]) {
        carriers.withLock { carriers in
            var next: [String: Carrier] = [:]
            for (name, profile) in profiles {
                var carrier = carriers[name] ?? Carrier(profile: profile, channels: ChannelCounter(limit: nil), breaker: CircuitBreaker())
                if carrier.profile.callsPerSecond != profile.callsPerSecond || carrier.pacer == nil {
                    carrier.pacer = profile.callsPerSecond.map { CallPacer(callsPerSecond: $0) }
                }
                carrier.channels.limit = profile.channelLimit
                carrier.profile = profile
                next[name] = carrier
            }
            carriers = next
        }
    }

    /// Whether the carrier answers its OPTIONS probes (for `route` and `ctl`).
    func isUp(_ name: String) -> Bool {
        carriers.withLock { $0[name]?.health.isUp ?? true }
    }

    /// An OPTIONS probe's outcome; logs the carrier going down or up.
    func recordProbe(_ name: String, succeeded: Bool) {
        let change = carriers.withLock { carriers -> TrunkHealth.State? in
            guard var carrier = carriers[name] else { return nil }
            let change = carrier.health.record(probeSucceeded: succeeded)
            carriers[name] = carrier
            return change
        }
        if let change {
            logger.warning("carrier health changed", metadata: ["carrier": "\(name)", "state": "\(change)"])
        }
    }

    func admit(_ target: B2BUATarget, emergency: Bool) -> AttemptAdmission {
        guard let name = target.carrier?.name else { return .admit }
        let now = clock()
        let (admission, warning) = carriers.withLock { carriers -> (AttemptAdmission, String?) in
            guard var carrier = carriers[name] else { return (.admit, nil) }
            defer { carriers[name] = carrier }
            if emergency {
                // Emergency calls bypass every limit; they still count while they last.
                _ = carrier.channels.acquire(emergency: true)
                return (.admit, nil)
            }
            guard carrier.breaker.permits(at: now) else { return (.skip(reason: "circuit open"), nil) }
            guard carrier.channels.acquire() else { return (.skip(reason: "channel limit"), nil) }
            var warning: String?
            if let limit = carrier.channels.limit, limit > 0 {
                let high = carrier.channels.inUse * 5 >= limit * 4
                if high, !carrier.channelWarning { warning = "\(carrier.channels.inUse) of \(limit) channels in use" }
                carrier.channelWarning = high
            }
            guard var pacer = carrier.pacer else { return (.admit, warning) }
            let decision = pacer.admit(at: now)
            carrier.pacer = pacer
            switch decision {
            case .sendNow:
                return (.admit, warning)
            case .sendAt(let time):
                return (.delay(milliseconds: max(1, (time.nanoseconds - now.nanoseconds) / 1_000_000)), warning)
            case .overflow:
                carrier.channels.release()
                return (.skip(reason: "calls-per-second limit"), warning)
            }
        }
        if let warning { logger.warning("carrier near its channel limit", metadata: ["carrier": "\(name)", "detail": "\(warning)"]) }
        if case .skip(let reason) = admission { logger.notice("carrier skipped", metadata: ["carrier": "\(name)", "reason": "\(reason)"]) }
        return admission
    }

    func attemptEnded(_ target: B2BUATarget, status: Int, answered: Bool) {
        guard let name = target.carrier?.name else { return }
        let now = clock()
        carriers.withLock { carriers in
            guard var carrier = carriers[name] else { return }
            if answered {
                carrier.breaker.recordSuccess()
            } else {
                carrier.channels.release()
                // Only the carrier's own trouble opens its breaker: 5xx, 408, timeouts, transport errors.
                if status == 408 || (500..<600).contains(status) {
                    carrier.breaker.recordFailure(at: now)
                } else {
                    carrier.breaker.recordSuccess()
                }
            }
            carriers[name] = carrier
        }
    }

    func callEnded(_ record: CallDetailRecord, attempts: [CallAttemptRecord], answered: B2BUATarget?) {
        if let name = answered?.carrier?.name {
            carriers.withLock { carriers in carriers[name]?.channels.release() }
        }
        cdr?.record(call: record, attempts: attempts)
        if record.callClass == .emergency { emergency?.ended(record) }
    }

    /// One line per carrier: health, circuit breaker, channels in use, CPS limit (`ctl trunks`).
    func report() -> String {
        let lines = carriers.withLock { carriers in
            carriers.keys.sorted().map { name -> String in
                let c = carriers[name]!
                let channels = "\(c.channels.inUse)/\(c.channels.limit.map(String.init) ?? "unlimited")"
                let cps = c.profile.callsPerSecond.map(String.init) ?? "unlimited"
                return "\(name) health=\(c.health.isUp ? "up" : "down") breaker=\(c.breaker.state) channels=\(channels) cps=\(cps) "
                    + "primary=\(c.profile.primaryHost)\n"
            }
        }
        return lines.isEmpty ? "no carriers configured\n" : lines.joined()
    }
}
