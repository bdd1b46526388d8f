import Routing

/// Whether an attempt towards a candidate may start now.
public enum AttemptAdmission: Sendable, Equatable {
    case admit
    /// Not this candidate (channel limit, circuit open, paced beyond the wait bound): the next one.
    case skip(reason: String)
    /// Pace it: the INVITE leaves after this many milliseconds (CPS limit).
    case delay(milliseconds: Int64)
}

/// Whether a new bridged call may start at all (a customer's channel limit).
public enum CallAdmission: Sendable, Equatable {
    case admit
    /// 503 Service Unavailable with this Retry-After (seconds).
    case refuse(retryAfter: Int)
}

/// What the B2BUA tells the rest of Switchboard about calls: it asks before
/// each attempt (limits, health) and reports each attempt's end and each
/// call's records (channels, circuit breakers, CDRs). Called on the shard's
/// queue; implementations must return at once.
public protocol B2BUACallObserver: Sendable {
    func admit(_ target: B2BUATarget, emergency: Bool) -> AttemptAdmission
    /// An attempt ended without being answered (`status` is what ended it), or was answered.
    func attemptEnded(_ target: B2BUATarget, status: Int, answered: Bool)
    /// The call ended; the answered attempt's target, if any, is released here.
    func callEnded(_ record: CallDetailRecord, attempts: [CallAttemptRecord], answered: B2BUATarget?)
    /// Asked once per call, before its first attempt; every admitted call is released with `callReleased`.
    func admitCall(_ accounting: CallAccounting) -> CallAdmission
    /// A call `admitCall` admitted has ended.
    func callReleased(_ accounting: CallAccounting)
}

extension B2BUACallObserver {
    public func admitCall(_ accounting: CallAccounting) -> CallAdmission { .admit }
    public func callReleased(_ accounting: CallAccounting) {}
}

/// Who and what a bridged call is, for its records.
public struct CallAccounting: Sendable, Equatable {
    public var callClass: CallClass
    /// The caller's number or user.
    public var caller: String
    /// What was dialled, as received.
    public var dialled: String
    /// The normalized number (E.164), when there is one.
    public var callee: String?
    /// The PBX or user the call came from (address or user name).
    public var source: String
    public var currency: String
    /// The `[[routing.customer]]` whose channels the call takes; nil for none.
    public var customer: String?

    public init(
        callClass: CallClass = .trunk, caller: String = "", dialled: String = "", callee: String? = nil, source: String = "",
        currency: String = "USD", customer: String? = nil
    ) {
        self.customer = customer
        self.callClass = callClass
        self.caller = caller
        self.dialled = dialled
        self.callee = callee
        self.source = source
        self.currency = currency
    }
}

/// The carrier an attempt goes to and the rate it bills at.
public struct CarrierTag: Sendable, Equatable {
    public var name: String
    public var rate: Rate?

    public init(name: String, rate: Rate? = nil) {
        self.name = name
        self.rate = rate
    }
}
