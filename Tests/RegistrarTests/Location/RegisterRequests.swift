import SIPCore
@testable import Registrar

/// REGISTER requests and registrar settings for the tests.
enum RegisterRequests {
    static let settings = RegistrarSettings(
        minExpires: 60, defaultExpires: 3600, maxExpires: 7200, localDomains: ["example.com"], gruuKey: Array("k".utf8))
    static let source = BindingSource(transport: "tcp", address: "192.0.2.10:40000", flowToken: 7)
    static let now = 1_700_000_000.0

    static func make(
        to: String = "<sip:alice@example.com>", callID: String = "reg-1@ua", cseq: UInt32 = 1, contacts: [String] = [],
        expires: UInt32? = nil, vias: Int = 1, extra: [String] = []
    ) -> SIPMessage {
        var lines = ["REGISTER sip:example.com SIP/2.0"]
        for i in 0..<vias { lines.append("Via: SIP/2.0/TCP 192.0.2.\(10 + i):5060;branch=z9hG4bK-\(i)") }
        lines += ["Max-Forwards: 70", "To: \(to)", "From: \(to);tag=f1", "Call-ID: \(callID)", "CSeq: \(cseq) REGISTER"]
        for c in contacts { lines.append("Contact: \(c)") }
        if let expires { lines.append("Expires: \(expires)") }
        lines += extra
        lines += ["User-Agent: TestPhone/1.0", "Content-Length: 0", "", ""]
        return try! SIPMessage(lines.joined(separator: "\r\n"))
    }

    static func process(
        _ m: SIPMessage, current: [Binding] = [], settings: RegistrarSettings = settings, now: Double = now
    ) throws(RegistrationError) -> RegistrationResult {
        try Registration.process(m, current: current, settings: settings, source: source, now: now)
    }

    /// The error a REGISTER is refused with, or nil if it is accepted.
    static func rejection(_ m: SIPMessage, current: [Binding] = [], settings: RegistrarSettings = settings) -> RegistrationError? {
        do {
            _ = try process(m, current: current, settings: settings)
            return nil
        } catch {
            return error
        }
    }
}
