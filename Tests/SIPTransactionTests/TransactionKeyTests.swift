import SIPCore
import SIPTransaction
import Testing

@Suite("Transaction keys")
struct TransactionKeyTests {
    func key(_ text: String) throws -> TransactionKey { try TransactionKey.server(for: SIPMessage(text)) }

    @Test("17.2.3: an ACK matches the INVITE's server transaction")
    func ackMatchesInvite() throws {
        #expect(try key(Msg.ack(toTag: "srv-1")) == key(Msg.invite()))
    }

    @Test("17.2.3 / 9.2: a CANCEL has its own transaction and names the INVITE's")
    func cancel() throws {
        let cancel = try SIPMessage(Msg.request("CANCEL"))
        #expect(try key(Msg.request("CANCEL")) != key(Msg.invite()))
        #expect(try TransactionKey.invite(cancelledBy: cancel) == key(Msg.invite()))
    }

    @Test("17.2.3: sent-by takes part (host case-insensitively), and so does the method")
    func sentByAndMethod() throws {
        #expect(try key(Msg.request("INVITE", sentBy: "192.0.2.11:5060")) != key(Msg.invite()))
        #expect(try key(Msg.request("INVITE", sentBy: "PBX.example.com")) == key(Msg.request("INVITE", sentBy: "pbx.EXAMPLE.com")))
        #expect(try key(Msg.request("INVITE", sentBy: "pbx.example.com")) != key(Msg.request("INVITE", sentBy: "pbx.example.com:5060")))
        #expect(try key(Msg.request("OPTIONS")) != key(Msg.invite()))
    }

    @Test("17.2.3: no magic cookie, or the bare cookie (RFC 4475 3.2.1), means RFC 2543 matching")
    func rfc2543() throws {
        #expect(try key(Msg.invite(branch: nil)).isRFC2543)
        #expect(try key(Msg.invite(branch: "z9hG4bK")).isRFC2543)
        #expect(try key(Msg.invite(branch: "1234abc")).isRFC2543)
        #expect(try !key(Msg.invite(branch: "z9hG4bK1")).isRFC2543)
        #expect(try key(Msg.invite(branch: nil)) != key(Msg.request("INVITE", branch: nil, callID: "other@x")))
    }

    @Test("17.1.3: a response matches its client transaction by top Via branch and CSeq method")
    func client() throws {
        let invite = Msg.outgoing("INVITE")
        let ok = Msg.response(to: invite, 200)
        #expect(try TransactionKey.client(for: ok) == TransactionKey.client(for: invite))
        let cancel = try invite.makeCancel()
        #expect(try TransactionKey.client(for: Msg.response(to: cancel, 200)) == TransactionKey.client(for: cancel))
        #expect(try TransactionKey.client(for: cancel) != TransactionKey.client(for: invite))
        #expect(throws: SIPParseError.self) { try TransactionKey.client(for: SIPMessage(Msg.invite(branch: "abc"))) }
    }
}
