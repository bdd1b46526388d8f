import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Media
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

/// The B2BUA harness with the media relay on: relay on 127.0.0.1 with a
/// port range at a random base in 40000-59999, the caller's RTP on
/// 127.0.0.2 and the carriers' on 127.0.0.3, real UDP through the relay.
final class MediaHarness {
    typealias H = B2BUAHarness
    static let relayIP = "127.0.0.1"
    static let phoneIP = "127.0.0.2"
    static let carrierIP = "127.0.0.3"

    let sip: B2BUAHarness
    let pool: RelayPortPool
    let phoneA: MediaTestPhone
    let phoneB: MediaTestPhone

    init(policies: [MediaPolicy], mediaTimeout: Duration = .seconds(60)) throws {
        let base = UInt16(40000 + 2 * Int.random(in: 0..<9_950))
        pool = RelayPortPool(range: base...(base + 63))
        var candidates = H.carriers(Array([H.carrier1, H.carrier2].prefix(policies.count)))
        for index in candidates.indices { candidates[index].media = policies[index] }
        sip = B2BUAHarness(B2BUARequest(candidates: candidates))
        sip.b2bua.settings.media = MediaSettings(
            portPool: pool, relayIPv4: Self.relayIP,
            session: MediaSessionConfiguration(mediaTimeout: mediaTimeout, timeoutCheckInterval: .milliseconds(50)))
        phoneA = try MediaTestPhone(ip: Self.phoneIP)
        phoneB = try MediaTestPhone(ip: Self.carrierIP)
    }

    convenience init(_ policy: MediaPolicy = MediaPolicy(), mediaTimeout: Duration = .seconds(60)) throws {
        try self.init(policies: [policy], mediaTimeout: mediaTimeout)
    }

    /// An SDP with one line per entry of `media` (`"audio 4000 RTP/AVP 0 101"`) and `extra` lines after each m-line.
    static func sdp(ip: String, session: String = "1", _ media: [String], extra: [[String]] = []) -> String {
        var text = "v=0\r\no=- \(session) 1 IN IP4 \(ip)\r\ns=-\r\nc=IN IP4 \(ip)\r\nt=0 0\r\n"
        for (index, line) in media.enumerated() {
            text += "m=\(line)\r\n"
            for attribute in index < extra.count ? extra[index] : [] { text += "\(attribute)\r\n" }
        }
        return text
    }

    /// A PCMU + telephone-event offer from the caller's phone.
    var pcmuOffer: String {
        Self.sdp(ip: Self.phoneIP, ["audio \(phoneA.port) RTP/AVP 0 101"], extra: [["a=rtpmap:101 telephone-event/8000", "a=sendrecv"]])
    }

    /// The carrier's PCMU answer from `phone`.
    static func pcmuAnswer(_ phone: MediaTestPhone, extra: [String] = []) -> String {
        sdp(ip: carrierIP, session: "7", ["audio \(phone.port) RTP/AVP 0 101"], extra: [["a=rtpmap:101 telephone-event/8000"] + extra])
    }

    /// Sends the caller's INVITE; returns leg B's INVITE.
    func call(offer: String, carrier: SocketAddress = H.carrier1) throws -> SIPMessage {
        sip.receive(H.invite(body: offer), from: H.pbx)
        return try #require(sip.take(to: carrier).first { $0.method == .invite })
    }

    /// B answers `bInvite` with 200 and `answer`, A ACKs; returns the 200 A got.
    func answer(_ bInvite: SIPMessage, with answer: String, from carrier: SocketAddress = H.carrier1) throws -> SIPMessage {
        sip.receive(H.response(to: bInvite, 200, "OK", body: answer), from: carrier)
        let ok = try #require(sip.take(to: H.pbx).first { $0.statusCode == 200 })
        let tag = try #require(try ok.to().tag)
        sip.receive(H.aRequest("ACK", cseq: 1, toTag: tag, branch: "z9hG4bKpbxack1"), from: H.pbx)
        _ = sip.sender.take()
        return ok
    }

    /// One RTP packet each way: each reaches the other phone unchanged, from the relay port of the receiver's leg.
    func expectRelayedBothWays(aPort: UInt16, bPort: UInt16, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fromA = rtpPacket(ssrc: 0xA, sequence: 1)
        phoneA.send(fromA, to: Self.relayIP, port: aPort)
        let atB = try #require(phoneB.receive(), sourceLocation: sourceLocation)
        #expect(atB.bytes == fromA, sourceLocation: sourceLocation)
        #expect(atB.sourcePort == bPort, sourceLocation: sourceLocation)
        let fromB = rtpPacket(ssrc: 0xB, sequence: 9)
        phoneB.send(fromB, to: Self.relayIP, port: bPort)
        let atA = try #require(phoneA.receive(), sourceLocation: sourceLocation)
        #expect(atA.bytes == fromB, sourceLocation: sourceLocation)
        #expect(atA.sourcePort == aPort, sourceLocation: sourceLocation)
    }

    /// Waits (bounded) until every relay port went back to the pool.
    func portsReleased() -> Bool {
        for _ in 0..<400 {
            if pool.allocatedCount == 0 { return true }
            usleep(5_000)
        }
        return false
    }
}

extension SIPMessage {
    /// The SDP body, parsed.
    func sdp() throws -> SessionDescription { try SessionDescription(parsing: Array(body)) }
}

extension SessionDescription {
    /// The connection address of m-line `index`.
    func address(_ index: Int = 0) -> String? { media[index].effectiveConnection(in: self)?.address }
}
