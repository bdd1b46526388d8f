import SIPCore
import Testing

@testable import CallCore

@Suite("RFC 3261 12: dialogs")
struct DialogTests {
    static let invite = try! SIPMessage(
        [
            "INVITE sip:bob@example.com SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1", "Max-Forwards: 70",
            "From: \"Alice\" <sip:alice@example.com>;tag=a1", "To: <sip:bob@example.com>", "Call-ID: d1@example.com", "CSeq: 7 INVITE",
            "Contact: <sip:alice@192.0.2.1>", "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>", "Content-Length: 0",
        ].joined(separator: "\r\n") + "\r\n\r\n")

    static func response(_ status: Int, recordRoute: [String]) -> SIPMessage {
        var lines = [
            "SIP/2.0 \(status) X", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1", "From: \"Alice\" <sip:alice@example.com>;tag=a1",
            "To: <sip:bob@example.com>;tag=b1", "Call-ID: d1@example.com", "CSeq: 7 INVITE", "Contact: <sip:bob@198.51.100.7:5062>",
        ]
        for r in recordRoute { lines.append("Record-Route: \(r)") }
        lines.append("Content-Length: 0")
        return try! SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    @Test("12.1.2: UAC dialog: tags, CSeq, route set from Record-Route reversed, remote target from Contact; 1xx is early")
    func uacDialog() throws {
        let early = try Dialog(uacRequest: Self.invite, response: Self.response(180, recordRoute: ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"]))
        #expect(early.state == .early)
        #expect(early.id == DialogID(callID: "d1@example.com", localTag: "a1", remoteTag: "b1"))
        #expect(early.localCSeq == 7)
        #expect(early.routeSet == ["<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"])
        #expect(early.remoteTarget.description == "sip:bob@198.51.100.7:5062")
        #expect(early.localURI == "\"Alice\" <sip:alice@example.com>")
        var confirmed = early
        confirmed.confirm(with: Self.response(200, recordRoute: ["<sip:p3.example.com;lr>"]))
        #expect(confirmed.state == .confirmed)
        #expect(confirmed.routeSet == ["<sip:p3.example.com;lr>"])
    }

    @Test("12.1.1: UAS dialog: route set from Record-Route in order, remote CSeq from the request")
    func uasDialog() throws {
        let dialog = try Dialog(uasRequest: Self.invite, localTag: "b9")
        #expect(dialog.id == DialogID(callID: "d1@example.com", localTag: "b9", remoteTag: "a1"))
        #expect(dialog.routeSet == ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"])
        #expect(dialog.remoteCSeq == 7)
        #expect(dialog.remoteTarget.description == "sip:alice@192.0.2.1")
        let noContact = try SIPMessage(Self.invite.text.replacingOccurrences(of: "Contact: <sip:alice@192.0.2.1>\r\n", with: ""))
        #expect(throws: DialogError.malformed("request without Contact")) { try Dialog(uasRequest: noContact, localTag: "x") }
    }

    @Test("12.2.1.1: loose routing: Request-URI is the remote target, Route the route set, next hop the first Route; CSeq grows")
    func looseRouting() throws {
        var dialog = try Dialog(uacRequest: Self.invite, response: Self.response(200, recordRoute: ["<sip:p1.example.com;lr>"]))
        let bye = try dialog.makeRequest(.bye)
        #expect(bye.message.requestURIText == "sip:bob@198.51.100.7:5062")
        #expect(try bye.message.routes().map(\.uri.description) == ["sip:p1.example.com;lr"])
        #expect(bye.nextHop.description == "sip:p1.example.com;lr")
        #expect(try bye.message.cseq() == CSeq(sequence: 8, method: .bye))
        #expect(try bye.message.from().tag == "a1")
        #expect(try bye.message.to().tag == "b1")
        #expect(try bye.message.callID() == "d1@example.com")
        let update = try dialog.makeRequest(.update, contact: "<sip:192.0.2.1>", body: Array("v=0\r\n".utf8), contentType: "application/sdp")
        #expect(try update.message.cseq().sequence == 9)
        #expect(update.message.values(named: "Content-Type") == ["application/sdp"])
        #expect(try update.message.contacts().count == 1)
    }

    @Test("12.2.1.1: strict routing: the first Route is the Request-URI and the remote target the last Route")
    func strictRouting() throws {
        var dialog = try Dialog(uacRequest: Self.invite, response: Self.response(200, recordRoute: ["<sip:p2.example.com;lr>", "<sip:strict.example.com>"]))
        let bye = try dialog.makeRequest(.bye)
        #expect(bye.message.requestURIText == "sip:strict.example.com")
        #expect(try bye.message.routes().map(\.uri.description) == ["sip:p2.example.com;lr", "sip:bob@198.51.100.7:5062"])
        #expect(bye.nextHop.description == "sip:strict.example.com")
    }

    @Test("13.2.2.4: the ACK for a 2xx has the INVITE's CSeq number and does not advance the local CSeq")
    func ackFor2xx() throws {
        let dialog = try Dialog(uacRequest: Self.invite, response: Self.response(200, recordRoute: []))
        let ack = try dialog.makeAck(cseq: 7)
        #expect(try ack.message.cseq() == CSeq(sequence: 7, method: .ack))
        #expect(ack.message.requestURIText == "sip:bob@198.51.100.7:5062")
        #expect(dialog.localCSeq == 7)
    }

    @Test("12.2.2: lower CSeq is 500; a target refresh replaces the remote target; no dialog is 481")
    func receiving() throws {
        var table = DialogTable<Int>()
        table.insert(try Dialog(uasRequest: Self.invite, localTag: "b9"), owner: 1)
        func request(_ method: String, _ cseq: Int, toTag: String = "b9", contact: String = "<sip:alice@192.0.2.1>") -> SIPMessage {
            try! SIPMessage(
                [
                    "\(method) sip:b@192.0.2.2 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK\(cseq)", "From: <sip:alice@example.com>;tag=a1",
                    "To: <sip:bob@example.com>;tag=\(toTag)", "Call-ID: d1@example.com", "CSeq: \(cseq) \(method)", "Contact: \(contact)",
                    "Content-Length: 0",
                ].joined(separator: "\r\n") + "\r\n\r\n")
        }
        let entry = try table.receive(request("INVITE", 8, contact: "<sip:alice@192.0.2.50>"))
        #expect(entry.owner == 1)
        #expect(entry.dialog.remoteCSeq == 8)
        #expect(entry.dialog.remoteTarget.description == "sip:alice@192.0.2.50")
        #expect(throws: DialogError.cseqOutOfOrder(received: 6, last: 8)) { try table.receive(request("BYE", 6)) }
        #expect(DialogError.cseqOutOfOrder(received: 6, last: 8).status == 500)
        #expect(throws: DialogError.doesNotExist) { try table.receive(request("BYE", 9, toTag: "other")) }
        #expect(DialogError.doesNotExist.status == 481)
        _ = try table.receive(request("ACK", 1))
    }
}
