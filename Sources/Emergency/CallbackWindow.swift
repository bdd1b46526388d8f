#if canImport(FoundationEssentials)
import Routing
import FoundationEssentials
#else
import Foundation
#endif

/// After an emergency call, for `duration` an inbound call to the callback
/// number goes straight to the device that made the emergency call (its
/// AOR or contact), not to a hunt group or voicemail, so a PSAP callback
/// reaches the caller (RFC 7090 1). A value: time is passed in.
public struct CallbackWindow: Sendable {
    public struct Entry: Sendable, Hashable, Codable {
        /// Where to send the callback (`sip:alice@pbx.example.com`).
        public var target: String
        public var callID: String
        public var expires: Date
    }

    public var duration: Duration
    public private(set) var entries: [E164Number: Entry] = [:]

    public init(duration: Duration = .seconds(30 * 60)) {
        self.duration = duration
    }

    /// Opens (or reopens, from now) the window for `number`.
    public mutating func open(for number: E164Number, target: String, callID: String, at now: Date) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        entries[number] = Entry(target: target, callID: callID, expires: now.addingTimeInterval(seconds))
    }

    /// The target for an inbound call to `number` at `now`, if its window is
    /// open; the window closes at `expires` exactly.
    public func target(for number: E164Number, at now: Date) -> String? {
        guard let e = entries[number], now < e.expires else { return nil }
        return e.target
    }

    /// Drops windows that have closed by `now`; returns how many.
    @discardableResult
    public mutating func expire(at now: Date) -> Int {
        let before = entries.count
        entries = entries.filter { now < $0.value.expires }
        return before - entries.count
    }
}
