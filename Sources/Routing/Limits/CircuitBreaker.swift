/// Stops sending calls to a carrier that keeps failing them: opens after
/// `failureThreshold` consecutive call failures (failover outcomes), lets
/// one probe call through after `coolDown` (half-open), closes when a call
/// succeeds and opens again when the probe fails. Emergency calls pass in
/// every state.
public struct CircuitBreaker: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case closed
        /// No calls until the time given.
        case open(until: MonotonicTime)
        /// One probe call is allowed; its result decides.
        case halfOpen
    }

    public let failureThreshold: Int
    public let coolDown: Duration
    public private(set) var state: State = .closed
    private var consecutiveFailures = 0
    private var probeInFlight = false

    public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(30)) {
        precondition(failureThreshold >= 1)
        self.failureThreshold = failureThreshold
        self.coolDown = coolDown
    }

    /// Whether a new call may go to the carrier at `now`. In half-open state
    /// the first caller gets the probe and later ones are refused until it ends.
    public mutating func permits(at now: MonotonicTime, emergency: Bool = false) -> Bool {
        if emergency { return true }
        switch state {
        case .closed:
            return true
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            probeInFlight = true
            return true
        case .halfOpen:
            guard !probeInFlight else { return false }
            probeInFlight = true
            return true
        }
    }

    /// A call through the carrier succeeded (or failed for the callee's reasons, not the carrier's).
    public mutating func recordSuccess() {
        consecutiveFailures = 0
        probeInFlight = false
        state = .closed
    }

    /// A call through the carrier failed over (5xx, 408, timeout) at `now`.
    public mutating func recordFailure(at now: MonotonicTime) {
        probeInFlight = false
        switch state {
        case .closed:
            consecutiveFailures += 1
            if consecutiveFailures >= failureThreshold { state = .open(until: now + coolDown) }
        case .halfOpen:
            state = .open(until: now + coolDown)
        case .open:
            break
        }
    }
}
