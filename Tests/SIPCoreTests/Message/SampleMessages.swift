/// Messages shared by the tests, written with CRLF line ends.
enum Sample {
    static func crlf(_ lines: [String], body: String = "") -> String {
        lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    static let sdp = crlf(
        [
            "v=0",
            "o=alice 2890844526 2890844526 IN IP4 192.0.2.101",
            "s=-",
            "c=IN IP4 192.0.2.101",
            "t=0 0",
            "m=audio 49172 RTP/AVP 0 8 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=sendrecv",
        ]
    ).dropLast(2).description

    /// A realistic INVITE from a PBX, about 1 KB with SDP.
    static let invite = crlf(
        [
            "INVITE sip:+14155550123@switchboard.example.net;user=phone SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport",
            "Max-Forwards: 70",
            "To: <sip:+14155550123@switchboard.example.net;user=phone>",
            "From: \"Alice Liddell\" <sip:alice@pbx.example.com>;tag=1928301774",
            "Call-ID: a84b4c76e66710@pbx.example.com",
            "CSeq: 314159 INVITE",
            "Contact: <sip:alice@192.0.2.101:5060;transport=udp>;expires=3600",
            "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, INFO, UPDATE",
            "Supported: replaces, timer, 100rel",
            "P-Asserted-Identity: \"Alice Liddell\" <sip:+14085550100@pbx.example.com;user=phone>",
            "User-Agent: Asterisk PBX 20.5.0",
            "Session-Expires: 1800;refresher=uac",
            "Content-Type: application/sdp",
            "Content-Length: \(sdp.utf8.count)",
        ], body: sdp)
}
