import Foundation
import SIPCore
import Testing

@testable import SwitchboardServer

/// The captures in pcap-fixtures/: real SIPp, Kamailio and baresip traffic.
enum CaptureFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("pcap-fixtures")

    static var all: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    static func messages(_ name: String) throws -> [CaptureMessages.Message] {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        return try CaptureMessages.extract(from: bytes)
    }
}

@Suite("pcap-fixtures: every SIP message of every capture parses and round-trips")
struct CaptureFixtureTests {
    @Test("the fixture set is there")
    func present() {
        #expect(CaptureFixture.all.count >= 8)
    }

    @Test("each message is valid and serializes byte-identical; SDP bodies round-trip", arguments: CaptureFixture.all)
    func roundTrip(_ name: String) throws {
        let messages = try CaptureFixture.messages(name)
        #expect(!messages.isEmpty)
        for m in messages {
            #expect(m.framingError == nil)
            let parsed = try SIPMessage(bytes: m.bytes, framing: m.framing)
            try parsed.validate()
            #expect(parsed.serialized() == Array(m.bytes[..<(m.bytes.count - parsed.trailingBytes)]))
            if try parsed.contentType()?.is("application", "sdp") == true {
                let sdp = try SessionDescription(parsing: parsed.body)
                #expect(sdp.bytes == Array(parsed.body))
            }
            #expect(MessageReport(bytes: m.bytes, framing: m.framing).isValid)
        }
    }

    static func summary(_ name: String) throws -> [String] {
        try CaptureFixture.messages(name).map { m in
            let p = try SIPMessage(bytes: m.bytes, framing: m.framing)
            return p.isRequest ? p.method.rawValue : "\(p.statusCode)"
        }
    }

    @Test("RFC 3261 22.2: REGISTER, 401 with a challenge, REGISTER with credentials, 200")
    func registerDigest() throws {
        #expect(try Self.summary("register-digest.pcap") == ["REGISTER", "401", "REGISTER", "200"])
        let m = try CaptureFixture.messages("register-digest.pcap").map { try SIPMessage(bytes: $0.bytes) }
        let challenge = try #require(try m[1].wwwAuthenticate().first)
        #expect(challenge.isDigest)
        #expect(challenge.qop.contains("auth"))
        let credentials = try #require(try m[2].authorization().first)
        #expect(credentials.username == "alice")
        #expect(credentials.nonce == challenge.nonce)
        #expect(credentials.nonceCount == 1)
    }

    @Test("RFC 3261 16.6: a record-routing proxy's call; BYE carries the Route")
    func recordRoute() throws {
        let s = try Self.summary("invite-record-route.pcap")
        #expect(s.filter { $0 == "INVITE" }.count == 2)
        #expect(s.filter { $0 == "BYE" }.count == 2)
        let m = try CaptureFixture.messages("invite-record-route.pcap").map { try SIPMessage(bytes: $0.bytes) }
        let ok = try #require(m.first { $0.statusCode == 200 && $0.method == .invite })
        #expect(try ok.recordRoutes().first?.uri.isLooseRouter == true)
        let bye = try #require(m.first { $0.method == .bye && $0.isRequest && $0.firstField(.route) != nil })
        #expect(try bye.routes().count == 1)
    }

    @Test("RFC 3261 9.1: CANCEL, 200 for the CANCEL, 487 for the INVITE")
    func cancel() throws {
        let s = try Self.summary("cancel.pcap")
        #expect(s.contains("CANCEL"))
        #expect(s.contains("487"))
    }

    @Test("RFC 3264 8.4: re-INVITE puts the call on hold with sendonly")
    func hold() throws {
        let m = try CaptureFixture.messages("reinvite-hold.pcap").map { try SIPMessage(bytes: $0.bytes) }
        let reinvites = m.filter { $0.isRequest && $0.method == .invite }.compactMap { try? SessionDescription(parsing: $0.body) }
        #expect(reinvites.contains { s in s.media.first.map { $0.direction(in: s) } == .sendonly })
    }

    @Test("RFC 4568: the baresip INVITE offers RTP/SAVP with an inline SDES key")
    func sdes() throws {
        let m = try CaptureFixture.messages("srtp-sdes-offer.pcap").map { try SIPMessage(bytes: $0.bytes) }
        let invite = try #require(m.first { $0.isRequest && $0.method == .invite })
        let sdp = try SessionDescription(parsing: invite.body)
        let audio = try #require(sdp.media.first)
        #expect(audio.proto == "RTP/SAVP")
        #expect(audio.cryptos.contains { $0.suite == "AES_CM_128_HMAC_SHA1_80" })
    }

    @Test("RFC 3261 18.3: TCP messages spanning segments and sharing one are framed exactly")
    func tcpSegmented() throws {
        let messages = try CaptureFixture.messages("tcp-segmented.pcap")
        #expect(messages.allSatisfy { $0.framing == .stream })
        #expect(try Self.summary("tcp-segmented.pcap").sorted() == ["100", "180", "200", "200", "ACK", "BYE", "INVITE"])
        let invite = try #require(messages.first { String(decoding: $0.bytes.prefix(6), as: UTF8.self) == "INVITE" })
        #expect(invite.bytes.count > 3000)
    }

    @Test("pcapng and pcap of the same keep-alives give the same messages")
    func pcapngEqualsPcap() throws {
        let a = try CaptureFixture.messages("options-keepalive.pcap").map(\.bytes)
        let b = try CaptureFixture.messages("options-keepalive.pcapng").map(\.bytes)
        #expect(a == b)
        #expect(a.count == 6)
    }
}
