import SIPCore
import Testing
@testable import Registrar

private typealias R = RegisterRequests

@Suite("REGISTER processing (RFC 3261 10.3)") struct RegistrationTests {
    @Test("10.3 step 5: the AOR is canonical — parameters and port dropped, escapes decoded, domain lowercased")
    func canonicalAOR() throws {
        let m = R.make(to: "\"Alice\" <sips:%61lice@EXAMPLE.com:5061;user=phone>", contacts: ["<sip:a@192.0.2.10>"])
        let r = try R.process(m)
        #expect(r.aor.description == "sip:alice@example.com")
        #expect(r.bindings.first?.aor == AddressOfRecord(user: "alice", domain: "example.com"))
    }

    @Test("10.3 step 5: a non-SIP To is refused with 400")
    func nonSIPTo() {
        #expect(R.rejection(R.make(to: "<tel:+15551234567>", contacts: ["<sip:a@192.0.2.10>"]))?.status == 400)
    }

    @Test("10.3 step 1: an AOR outside the local domains gets 404")
    func foreignDomain() {
        let e = R.rejection(R.make(to: "<sip:alice@elsewhere.net>", contacts: ["<sip:a@192.0.2.10>"]))
        #expect(e == .notFound("sip:alice@elsewhere.net"))
        #expect(e?.status == 404)
    }

    @Test("10.3 step 2: Require with an unknown extension gets 420 listing it in Unsupported")
    func badExtension() {
        let e = R.rejection(R.make(contacts: ["<sip:a@192.0.2.10>"], extra: ["Require: path, foo"]))
        #expect(e == .badExtension(unsupported: ["foo"]))
        #expect(e?.status == 420)
        #expect(e?.headerFields.first?.name == "Unsupported")
        #expect(e?.headerFields.first?.value == "foo")
    }

    @Test("10.3 step 7: a new Contact is bound; the 200 lists it with expires= and the default interval")
    func addBinding() throws {
        let r = try R.process(R.make(contacts: ["<sip:alice@192.0.2.10:5070;transport=tcp>"]))
        #expect(r.bindings.count == 1)
        let b = try #require(r.bindings.first)
        #expect(b.expiresAt == R.now + 3600)
        #expect(b.callID == "reg-1@ua")
        #expect(b.cseq == 1)
        #expect(b.userAgent == "TestPhone/1.0")
        #expect(b.source == R.source)
        #expect(b.registeredAt == R.now)
        #expect(r.changes == [.upsert(b)])
        #expect(r.reply.contacts == ["<sip:alice@192.0.2.10:5070;transport=tcp>;expires=3600"])
    }

    @Test("10.2.4: a refresh changes only expiry, CSeq and time, and is stored as such; any other change is a full write")
    func refreshIsNarrow() throws {
        let first = try R.process(R.make(contacts: ["<sip:alice@192.0.2.10>"]))
        let refresh = try R.process(R.make(cseq: 2, contacts: ["<sip:alice@192.0.2.10>"]), current: first.bindings, now: R.now + 1800)
        let b = try #require(refresh.bindings.first)
        #expect(b.expiresAt == R.now + 1800 + 3600)
        #expect(refresh.changes == [.refresh(b)])
        let moved = try R.process(
            R.make(cseq: 2, contacts: ["<sip:alice@192.0.2.10>"], extra: ["User-Agent: OtherPhone/2.0"]), current: first.bindings,
            now: R.now + 1800)
        #expect(moved.changes == [.upsert(try #require(moved.bindings.first))])
        let newCall = try R.process(
            R.make(callID: "reg-2@ua", contacts: ["<sip:alice@192.0.2.10>"]), current: first.bindings, now: R.now + 1800)
        #expect(newCall.changes == [.upsert(try #require(newCall.bindings.first))])
    }

    @Test("10.2.1.1: the Contact expires parameter beats the Expires header, which beats the default")
    func expiresPrecedence() throws {
        let r = try R.process(
            R.make(contacts: ["<sip:a@192.0.2.10>;expires=120", "<sip:b@192.0.2.10>"], expires: 600))
        #expect(r.bindings.map { $0.expiresAt - R.now } == [120, 600])
    }

    @Test("10.3 step 7: an interval above the maximum is shortened to it")
    func clampToMax() throws {
        let r = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>;expires=86400"]))
        #expect(r.bindings.first?.expiresAt == R.now + 7200)
        #expect(r.reply.contacts.first?.hasSuffix(";expires=7200") == true)
    }

    @Test("10.3 step 7: an interval below the minimum gets 423 with Min-Expires and binds nothing")
    func intervalTooBrief() {
        let e = R.rejection(R.make(contacts: ["<sip:a@192.0.2.10>", "<sip:b@192.0.2.10>;expires=30"]))
        #expect(e == .intervalTooBrief(minExpires: 60))
        #expect(e?.status == 423)
        #expect(e?.headerFields.first?.name == "Min-Expires")
        #expect(e?.headerFields.first?.value == "60")
        #expect(R.rejection(R.make(contacts: ["<sip:a@192.0.2.10>"], expires: 59)) == .intervalTooBrief(minExpires: 60))
    }

    @Test("10.2.2: expires=0 removes that binding and is never too brief")
    func removeOne() throws {
        let first = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>", "<sip:b@192.0.2.10>"]))
        let r = try R.process(R.make(cseq: 2, contacts: ["<sip:a@192.0.2.10>;expires=0"]), current: first.bindings)
        #expect(r.bindings.map(\.contactURI.description) == ["sip:b@192.0.2.10"])
        #expect(r.changes == [.remove(aor: first.aor, key: first.bindings[0].key)])
    }

    @Test("10.2.2: Contact * with Expires: 0 removes every binding")
    func starRemovesAll() throws {
        let first = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>", "<sip:b@192.0.2.10>"]))
        let r = try R.process(R.make(callID: "other", cseq: 1, contacts: ["*"], expires: 0), current: first.bindings)
        #expect(r.bindings.isEmpty)
        #expect(r.changes.count == 2)
        #expect(r.reply.contacts.isEmpty)
    }

    @Test("10.2.2: Contact * needs Expires: 0 and no other Contact, else 400")
    func starMisuse() {
        #expect(R.rejection(R.make(contacts: ["*"]))?.status == 400)
        #expect(R.rejection(R.make(contacts: ["*"], expires: 3600))?.status == 400)
        #expect(R.rejection(R.make(contacts: ["*", "<sip:a@192.0.2.10>"], expires: 0))?.status == 400)
    }

    @Test("10.3 step 6: Contact * with the stored Call-ID and a CSeq not above it gets 500")
    func starOutOfOrder() throws {
        let first = try R.process(R.make(cseq: 5, contacts: ["<sip:a@192.0.2.10>"]))
        let e = R.rejection(R.make(cseq: 5, contacts: ["*"], expires: 0), current: first.bindings)
        #expect(e?.status == 500)
    }

    @Test("10.3 step 7: same Call-ID with a CSeq not above the stored one gets 500")
    func outOfOrder() throws {
        let first = try R.process(R.make(cseq: 5, contacts: ["<sip:a@192.0.2.10>"]))
        #expect(R.rejection(R.make(cseq: 5, contacts: ["<sip:a@192.0.2.10>"]), current: first.bindings)?.status == 500)
        #expect(R.rejection(R.make(cseq: 4, contacts: ["<sip:a@192.0.2.10>"]), current: first.bindings)?.status == 500)
        let refreshed = try R.process(R.make(cseq: 6, contacts: ["<sip:a@192.0.2.10>"]), current: first.bindings)
        #expect(refreshed.bindings.count == 1)
        #expect(refreshed.bindings.first?.cseq == 6)
    }

    @Test("10.3 step 7: the same Contact under a new Call-ID replaces the binding whatever its CSeq")
    func newCallIDReplaces() throws {
        let first = try R.process(R.make(callID: "one", cseq: 50, contacts: ["<sip:a@192.0.2.10>"]))
        let r = try R.process(R.make(callID: "two", cseq: 1, contacts: ["<sip:a@192.0.2.10>"]), current: first.bindings)
        #expect(r.bindings.count == 1)
        #expect(r.bindings.first?.callID == "two")
        #expect(r.bindings.first?.cseq == 1)
    }

    @Test("19.1.4: Contact URIs are matched by URI equivalence (host case, parameter order)")
    func uriEquivalence() throws {
        let first = try R.process(R.make(contacts: ["<sip:a@Phone.Example.net:5070;transport=TCP;ob>"]))
        let r = try R.process(
            R.make(cseq: 2, contacts: ["<sip:a@phone.example.net:5070;foo=bar;transport=tcp>"]), current: first.bindings)
        #expect(r.bindings.count == 1)
        let other = try R.process(R.make(cseq: 3, contacts: ["<sip:a@phone.example.net>"]), current: r.bindings)
        #expect(other.bindings.count == 2)
    }

    @Test("10.3 step 6: a REGISTER without Contact is a query: current bindings, no changes")
    func query() throws {
        let first = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>"]))
        let r = try R.process(R.make(cseq: 2), current: first.bindings, now: R.now + 100)
        #expect(r.changes.isEmpty)
        #expect(r.reply.contacts == ["<sip:a@192.0.2.10>;expires=3500"])
    }

    @Test("10.3 step 8: lapsed bindings handed in are not listed or kept")
    func lapsedIgnored() throws {
        let first = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>;expires=60"]))
        let r = try R.process(R.make(callID: "n", contacts: ["<sip:b@192.0.2.10>"]), current: first.bindings, now: R.now + 61)
        #expect(r.bindings.map(\.contactURI.description) == ["sip:b@192.0.2.10"])
    }

    @Test("20.10: malformed expires, q, reg-id or +sip.instance parameters get 400", arguments: [
        "<sip:a@192.0.2.10>;expires=soon", "<sip:a@192.0.2.10>;q=1.5", "<sip:a@192.0.2.10>;q=0.1234",
        "<sip:a@192.0.2.10>;+sip.instance=\"urn:uuid:1\";reg-id=0", "<sip:a@192.0.2.10>;+sip.instance=\"urn:uuid:1\"",
    ])
    func badParameters(contact: String) {
        #expect(R.rejection(R.make(contacts: [contact]))?.status == 400)
    }

    @Test("20.10: q values are kept and echoed")
    func qEcho() throws {
        let r = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>;q=0.5"]))
        #expect(r.bindings.first?.q == 0.5)
        #expect(r.reply.contacts == ["<sip:a@192.0.2.10>;q=0.5;expires=3600"])
    }

    @Test("10.3: a request with a bad header gets 400 with the parser's reason")
    func malformedHeader() {
        #expect(R.rejection(R.make(contacts: ["<sip:a@192.0.2.10>"], extra: ["Expires: later"]))?.status == 400)
    }
}
