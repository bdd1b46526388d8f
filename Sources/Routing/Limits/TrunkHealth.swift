/// A carrier host's health from periodic OPTIONS probes, with hysteresis:
/// it goes down after `downAfter` failed probes in a row and comes back up
/// after `upAfter` successes in a row, so one lost datagram does not flap routing.
public struct TrunkHealth: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case up
        case down
    }

    public let downAfter: Int
    public let upAfter: Int
    public private(set) var state: State
    private var failures = 0
    private var successes = 0

    public init(downAfter: Int = 3, upAfter: Int = 2, initially state: State = .up) {
        precondition(downAfter >= 1 && upAfter >= 1)
        self.downAfter = downAfter
        self.upAfter = upAfter
        self.state = state
    }

    /// Whether an OPTIONS probe answer shows the host alive: any final
    /// response below 500 does (a 404 or 405 still comes from a working SIP
    /// server, RFC 3261 11.2); a 5xx or no answer (nil) does not.
    public static func probeSucceeded(status: Int?) -> Bool {
        guard let status else { return false }
        return status >= 200 && status < 500
    }

    /// Records one probe; returns the new state when it changed.
    @discardableResult
    public mutating func record(probeSucceeded ok: Bool) -> State? {
        if ok {
            failures = 0
            successes += 1
            if state == .down, successes >= upAfter {
                state = .up
                return .up
            }
        } else {
            successes = 0
            failures += 1
            if state == .up, failures >= downAfter {
                state = .down
                return .down
            }
        }
        return nil
    }

    public var isUp: Bool { state == .up }
}
