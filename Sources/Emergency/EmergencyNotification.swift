#if canImport(FoundationEssentials)
import Routing
import FoundationEssentials
#else
import Foundation
#endif

/// What the front desk or security is told when someone dials 911 (Kari's
/// Law, 47 CFR 9.16(b)(2)): who called, the callback number, where they are
/// and when.
public struct EmergencyNotification: Sendable, Hashable, Codable {
    public var callID: String
    /// Display name and user (`Alice Smith <alice>`), or the user alone.
    public var caller: String
    /// What was dialled, as dialled.
    public var dialled: String
    /// True for the 933 test number: the desk sees it, marked as a test.
    public var isTest: Bool
    /// E.164 text, or nil when the call went out without one.
    public var callbackNumber: String?
    /// One line, or nil when no location was found.
    public var location: String?
    /// Where the location came from (`device`, `user`, `network`, `default`, `none`).
    public var locationSource: String
    /// What the PSAP will not get (`no floor/room`, …); empty when complete.
    public var locationGaps: [String]
    public var time: Date

    public init(
        callID: String, caller: EmergencyCaller, dialled: String, classification: EmergencyClassification,
        resolution: LocationResolution, callbackNumber: E164Number?, time: Date
    ) {
        self.callID = callID
        self.caller = caller.displayName.map { "\($0) <\(caller.user)>" } ?? caller.user
        self.dialled = dialled
        if case .test = classification { isTest = true } else { isTest = false }
        self.callbackNumber = callbackNumber?.description
        self.location = resolution.location.map { l in
            let line = l.civicAddress.singleLine
            return line.isEmpty ? l.name : line
        }
        self.locationSource = resolution.source.rawValue
        self.locationGaps = resolution.gaps.map(\.description)
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case callID, caller, dialled, isTest, callbackNumber, location, locationSource, locationGaps, time
    }

    /// Absent values are written as `null`, so every notification has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(callID, forKey: .callID)
        try c.encode(caller, forKey: .caller)
        try c.encode(dialled, forKey: .dialled)
        try c.encode(isTest, forKey: .isTest)
        try c.encode(callbackNumber, forKey: .callbackNumber)
        try c.encode(location, forKey: .location)
        try c.encode(locationSource, forKey: .locationSource)
        try c.encode(locationGaps, forKey: .locationGaps)
        try c.encode(time, forKey: .time)
    }

    /// JSON for webhooks and the log: sorted keys, ISO 8601 time, so the
    /// same notification is always the same bytes.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }

    /// The `text/plain` body of a SIP MESSAGE (RFC 3428) to the front desk:
    /// short lines a desk phone screen can show.
    public var messageText: String {
        var lines: [String] = []
        lines.append(isTest ? "TEST \(dialled) call (933 location check)" : "EMERGENCY CALL \(dialled)")
        lines.append("From: \(caller)")
        lines.append("Callback: \(callbackNumber ?? "none")")
        lines.append("Location: \(location ?? "UNKNOWN")")
        if !locationGaps.isEmpty { lines.append("Location gaps: \(locationGaps.joined(separator: "; "))") }
        lines.append("Time: \(time.formatted(.iso8601))")
        lines.append("Call-ID: \(callID)")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
