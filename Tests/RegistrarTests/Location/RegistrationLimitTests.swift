import SIPCore
import Testing
@testable import Registrar

private typealias R = RegisterRequests

/// What a registrar does with requests that ask for too much: many
/// contacts, absurd intervals (RFC 3261 10.3 step 7, 20.19, 21.4.4).
@Suite("Registration limits") struct RegistrationLimitTests {
    static let limited = RegistrarSettings(
        minExpires: 60, defaultExpires: 3600, maxExpires: 7200, maxContacts: 3, localDomains: ["example.com"])

    static func contacts(_ n: Int, from first: Int = 0) -> [String] {
        (first..<first + n).map { "<sip:alice@192.0.2.10:\(10_000 + $0)>" }
    }

    @Test("21.4.4, 10.3 step 7: a Contact list beyond max_contacts gets 403 and binds none of it")
    func tooManyInOneRequest() {
        let one = R.make(contacts: [Self.contacts(1000).joined(separator: ", ")])
        let e = R.rejection(one, settings: Self.limited)
        #expect(e == .tooManyContacts(limit: 3))
        #expect(e?.status == 403)
        #expect(e?.reasonPhrase == "Too Many Contacts")
        #expect(R.rejection(R.make(contacts: Self.contacts(3)), settings: Self.limited) == nil)
    }

    @Test("21.4.4: new contacts on top of existing bindings count toward the limit; refreshes do not")
    func limitCountsExisting() throws {
        let first = try R.process(R.make(contacts: Self.contacts(3)), settings: Self.limited)
        #expect(first.bindings.count == 3)
        let more = R.make(callID: "reg-2@ua", contacts: Self.contacts(1, from: 3))
        #expect(R.rejection(more, current: first.bindings, settings: Self.limited) == .tooManyContacts(limit: 3))
        let refresh = R.make(cseq: 2, contacts: Self.contacts(3))
        #expect(try R.process(refresh, current: first.bindings, settings: Self.limited).bindings.count == 3)
        // Replacing one (remove + add in one request) keeps the count at the limit.
        let swap = R.make(cseq: 3, contacts: ["<sip:alice@192.0.2.10:10000>;expires=0", Self.contacts(1, from: 7)[0]])
        #expect(try R.process(swap, current: first.bindings, settings: Self.limited).bindings.count == 3)
    }

    @Test("21.4.4: an AOR above a lowered limit may still refresh and remove, not grow")
    func loweredLimit() throws {
        let five = try R.process(R.make(contacts: Self.contacts(5)))
        let refresh = R.make(cseq: 2, contacts: Self.contacts(5))
        #expect(try R.process(refresh, current: five.bindings, settings: Self.limited).bindings.count == 5)
        let grow = R.make(cseq: 2, contacts: Self.contacts(1, from: 5))
        #expect(R.rejection(grow, current: five.bindings, settings: Self.limited) == .tooManyContacts(limit: 3))
    }

    @Test("max_contacts 0 means no limit")
    func noLimit() throws {
        var settings = Self.limited
        settings.maxContacts = 0
        #expect(try R.process(R.make(contacts: [Self.contacts(200).joined(separator: ", ")]), settings: settings).bindings.count == 200)
    }

    @Test("20.19, 10.3 step 7: an absurdly long Expires (up to 2^32-1) is shortened to max_expires", arguments: [
        "99999999", "4294967295",
    ])
    func absurdExpires(_ value: String) throws {
        let m = R.make(contacts: ["<sip:a@192.0.2.10>"], extra: ["Expires: \(value)"])
        let r = try R.process(m)
        #expect(r.bindings.first?.expiresAt == R.now + 7200)
        #expect(r.reply.contacts.first?.hasSuffix(";expires=7200") == true)
    }

    @Test("20.19: an Expires that is not delta-seconds between 0 and 2^32-1 gets 400", arguments: [
        "abc", "-5", "3600.5", "1e9", "4294967296", "123456789012345678901234567890",
    ])
    func unparseableExpires(_ value: String) {
        let e = R.rejection(R.make(contacts: ["<sip:a@192.0.2.10>"], extra: ["Expires: \(value)"]))
        #expect(e?.status == 400)
    }

    @Test("20.10: an expires parameter of 2^32 and more is shortened to max_expires")
    func absurdExpiresParameter() throws {
        let r = try R.process(R.make(contacts: ["<sip:a@192.0.2.10>;expires=4294967296"]))
        #expect(r.bindings.first?.expiresAt == R.now + 7200)
    }
}
