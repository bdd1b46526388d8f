import SIPCore
import Testing

@testable import SwitchboardServer

@Suite("switchboard decode: the JSON report")
struct MessageReportTests {
    static let sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
    static let invite = Array(
        ("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa;rport\r\nMax-Forwards: 70\r\n"
            + "From: \"Alice\" <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: \(sdp.utf8.count)\r\n\r\n" + sdp).utf8)

    @Test("a valid INVITE: start line, typed headers and SDP, in message order")
    func valid() {
        let r = MessageReport(bytes: Self.invite)
        #expect(r.isValid)
        let json = r.document.rendered(pretty: false)
        #expect(json.hasPrefix("{\"verdict\":\"valid\",\"startLine\":{\"type\":\"request\",\"method\":\"INVITE\""))
        #expect(json.contains("\"from\":{\"displayName\":\"Alice\""))
        #expect(json.contains("\"rport\":true"))
        #expect(json.contains("\"codecs\":[\"0 PCMU/8000\"]"))
    }

    @Test("an invalid message: verdict, status and reason; control characters escaped")
    func invalid() {
        let r = MessageReport(bytes: Array("INVITE sip:bob@example.com SIP/7.0\r\n\u{1}\r\n\r\n".utf8))
        #expect(!r.isValid)
        #expect(r.error?.status == 505)
        let json = r.document.rendered(pretty: false)
        #expect(json.contains("\"verdict\":\"invalid\""))
        #expect(json.contains("\\u0001"))
    }

    @Test("a typed header that fails shows its error next to the others")
    func typedError() {
        let text = String(decoding: Self.invite, as: UTF8.self).replacingOccurrences(of: "CSeq: 1 INVITE", with: "CSeq: x INVITE")
        let r = MessageReport(bytes: Array(text.utf8))
        #expect(r.error?.header == "CSeq")
        #expect(r.document.rendered(pretty: false).contains("\"cseq\":{\"error\":\"Malformed CSeq: missing sequence number\"}"))
    }
}
