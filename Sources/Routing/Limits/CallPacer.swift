/// Paces new calls to one carrier below its calls-per-second limit, so the
/// carrier never has to refuse (Twilio answers 503 "Trunk CPS limit
/// exceeded" when the limit is discovered the hard way).
///
/// A token bucket in its virtual-scheduling form (GCRA, ITU-T I.371): each
/// call reserves the next emission slot `interval` after the previous one,
/// `burst` slots may be used at once. A call that would wait behind more
/// than `maxQueued` others overflows to the next carrier instead. Emergency
/// calls are sent at once, always; they still take a slot so ordinary calls
/// after them keep the carrier below its limit.
public struct CallPacer: Sendable, Hashable {
    /// Time between two calls at the paced rate.
    public let interval: Duration
    /// Calls that may go out back to back after an idle period.
    public let burst: Int
    /// Calls that may wait for a slot; 0 never delays a call.
    public let maxQueued: Int
    /// The theoretical arrival time of the next call, in nanoseconds.
    private var nextSlot: Int64 = .min
    private let intervalNanoseconds: Int64

    public enum Decision: Sendable, Hashable {
        /// Send the INVITE now.
        case sendNow
        /// Hold the INVITE and send it at this time; the slot is reserved.
        case sendAt(MonotonicTime)
        /// The queue is full: try the next carrier. Nothing was reserved.
        case overflow
    }

    /// Paces at `callsPerSecond` reduced by `headroomPercent` (10: a 1 CPS
    /// trunk gets a call every 1.11 s), so that clock skew and network jitter
    /// do not push the carrier over its limit.
    public init(callsPerSecond: Int, headroomPercent: Int = 10, burst: Int = 1, maxQueued: Int = 10) {
        precondition(callsPerSecond > 0 && (0..<100).contains(headroomPercent) && burst >= 1 && maxQueued >= 0)
        let nanos = 1_000_000_000 * 100 / (Int64(callsPerSecond) * Int64(100 - headroomPercent))
        self.init(interval: .nanoseconds(nanos), burst: burst, maxQueued: maxQueued)
    }

    /// Paces at one call per `interval`.
    public init(interval: Duration, burst: Int = 1, maxQueued: Int = 10) {
        intervalNanoseconds = max(1, interval.nanosecondsClamped)
        self.interval = .nanoseconds(intervalNanoseconds)
        self.burst = burst
        self.maxQueued = maxQueued
    }

    /// Decides for a new call at `now` and reserves its slot unless it overflows.
    public mutating func admit(at now: MonotonicTime, emergency: Bool = false) -> Decision {
        let t = now.nanoseconds
        let slot = max(nextSlot, t)
        let tolerance = Int64(burst - 1) * intervalNanoseconds
        let sendTime = slot - tolerance
        if emergency || sendTime <= t {
            nextSlot = slot + intervalNanoseconds
            return .sendNow
        }
        let waitingAhead = (sendTime - t + intervalNanoseconds - 1) / intervalNanoseconds
        guard waitingAhead <= Int64(maxQueued) else { return .overflow }
        nextSlot = slot + intervalNanoseconds
        return .sendAt(MonotonicTime(nanoseconds: sendTime))
    }
}
