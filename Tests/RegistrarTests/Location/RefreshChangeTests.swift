import SIPCore
import Testing

@testable import Registrar

private typealias R = RegisterRequests

@Suite("Refresh changes") struct RefreshChangeTests {
    static let contact = "<sip:alice@10.0.0.5:5060>;expires=600"

    @Test("RFC 3261 10.2.4: a refresh (same Contact, Call-ID, higher CSeq) is a .refresh change; its reply lists the binding with its interval")
    func refreshIsRefresh() throws {
        let first = try R.process(R.make(cseq: 1, contacts: [Self.contact]))
        let again = try R.process(R.make(cseq: 2, contacts: [Self.contact]), current: first.bindings, now: R.now + 30)
        #expect(again.changes.count == 1)
        guard case .refresh(let b)? = again.changes.first else {
            Issue.record("expected a refresh, got \(again.changes)")
            return
        }
        #expect(b.cseq == 2 && b.expiresAt == R.now + 630 && b.registeredAt == R.now + 30)
        #expect(again.reply.contacts == ["<sip:alice@10.0.0.5:5060>;expires=600"])
    }

    @Test("RFC 3261 10.3 step 7: a REGISTER that changes more than expiry and CSeq (another Call-ID, User-Agent or q) is an .upsert")
    func otherChangesAreUpserts() throws {
        let first = try R.process(R.make(cseq: 1, contacts: [Self.contact]))
        let variants = [
            R.make(callID: "reg-2@ua", cseq: 1, contacts: [Self.contact]),
            R.make(cseq: 2, contacts: [Self.contact + ";q=0.5"]),
            R.make(cseq: 2, contacts: ["<sip:alice@10.0.0.5:5060;transport=udp>;expires=600"]),
        ]
        for request in variants {
            let next = try R.process(request, current: first.bindings)
            guard case .upsert? = next.changes.first else {
                Issue.record("expected an upsert, got \(next.changes)")
                continue
            }
        }
    }

    @Test("RFC 3261 10.3 step 7: the refresh check compares every field of a binding but expiry, CSeq and registration time")
    func fieldCount() throws {
        let first = try R.process(R.make(cseq: 1, contacts: [Self.contact]))
        let b = try #require(first.bindings.first)
        // A field added to Binding must be added to Registration.Context.isRefresh too.
        #expect(Mirror(reflecting: b).children.count == Registration.Context.bindingFieldCount)
    }
}
