import SIPCore
import Testing
@testable import Registrar

private typealias R = RegisterRequests

private func binding(_ user: String, contact: String, q: Double? = nil, expiresAt: Double, registeredAt: Double = R.now) -> Binding {
    let aor = AddressOfRecord(user: user, domain: "example.com")
    let uri = try! SIPURI(contact)
    return Binding(
        aor: aor, key: "uri:\(uri.equivalenceKey)", contactURI: uri, contactText: "<\(contact)>", expiresAt: expiresAt, q: q,
        callID: "c", cseq: 1, source: R.source, registeredAt: registeredAt)
}

@Suite("Location service") struct LocationServiceTests {
    @Test("RFC 3261 16.6 / RFC 3841: lookup orders by q, highest first, equal q grouped for parallel forking")
    func ordering() {
        var loc = LocationService()
        loc.upsert(binding("alice", contact: "sip:a@10.0.0.1", q: 0.5, expiresAt: R.now + 100))
        loc.upsert(binding("alice", contact: "sip:b@10.0.0.2", expiresAt: R.now + 100))
        loc.upsert(binding("alice", contact: "sip:c@10.0.0.3", q: 0.5, expiresAt: R.now + 100, registeredAt: R.now + 1))
        loc.upsert(binding("alice", contact: "sip:d@10.0.0.4", q: 0.1, expiresAt: R.now + 100))
        let groups = loc.lookup(AddressOfRecord(user: "alice", domain: "example.com"), now: R.now)
        #expect(groups.map { $0.map(\.contactURI.description) } == [
            ["sip:b@10.0.0.2"], ["sip:c@10.0.0.3", "sip:a@10.0.0.1"], ["sip:d@10.0.0.4"],
        ])
    }

    @Test("RFC 3261 10.2.1: lookup never returns a lapsed binding, even before expire runs")
    func lapsedNotReturned() {
        var loc = LocationService()
        loc.upsert(binding("alice", contact: "sip:a@10.0.0.1", expiresAt: R.now + 10))
        let aor = AddressOfRecord(user: "alice", domain: "example.com")
        #expect(loc.lookup(aor, now: R.now + 9).count == 1)
        #expect(loc.lookup(aor, now: R.now + 10).isEmpty)
    }

    @Test("RFC 3261 10.2.1: expire removes lapsed bindings looking only at those due, not at all bindings")
    func expiryWithoutScan() {
        var loc = LocationService()
        for i in 0..<5000 { loc.upsert(binding("u\(i)", contact: "sip:u@10.1.\(i / 250).\(i % 250)", expiresAt: R.now + 3600)) }
        for i in 0..<3 { loc.upsert(binding("short\(i)", contact: "sip:s@10.2.0.\(i)", expiresAt: R.now + 30 + Double(i))) }
        #expect(loc.bindingCount == 5003)
        #expect(loc.nextExpiry == R.now + 30)
        let removed = loc.expire(now: R.now + 40)
        #expect(Set(removed.map(\.aor.description)) == ["sip:short0@example.com", "sip:short1@example.com", "sip:short2@example.com"])
        #expect(loc.lastExpireExamined == 3)
        #expect(loc.bindingCount == 5000)
        #expect(loc.aorCount == 5000)
        #expect(loc.expire(now: R.now + 40).isEmpty)
    }

    @Test("RFC 3261 10.3 step 7: a refreshed binding is not expired by its old expiry time")
    func refreshOutlivesOldExpiry() throws {
        var loc = LocationService()
        let first = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>;expires=60"]))
        loc.apply(first)
        let refresh = try R.process(
            R.make(cseq: 2, contacts: ["<sip:a@10.0.0.5>;expires=600"]), current: loc.bindings(for: first.aor, now: R.now + 50),
            now: R.now + 50)
        loc.apply(refresh)
        #expect(loc.expire(now: R.now + 61).isEmpty)
        #expect(loc.bindingCount == 1)
        #expect(loc.expire(now: R.now + 650).count == 1)
        #expect(loc.bindingCount == 0)
        #expect(loc.aorCount == 0)
    }

    @Test("RFC 3261 10.2.1: refreshes queue no expiry of their own; the binding is looked at once when its first expiry passes")
    func refreshesQueueNothing() {
        var loc = LocationService()
        for i in 0..<500 { loc.upsert(binding("alice", contact: "sip:a@10.0.0.1", expiresAt: R.now + 60 + Double(i))) }
        #expect(loc.bindingCount == 1)
        #expect(loc.expire(now: R.now + 300).isEmpty)
        #expect(loc.lastExpireExamined == 1)
        #expect(loc.nextExpiry == R.now + 559)
        #expect(loc.expire(now: R.now + 559).count == 1)
        #expect(loc.bindingCount == 0)
    }

    @Test("RFC 3261 10.2.1: a refresh that shortens the expiry is expired at the shorter time")
    func shortenedExpiry() {
        var loc = LocationService()
        loc.upsert(binding("alice", contact: "sip:a@10.0.0.1", expiresAt: R.now + 3600))
        loc.upsert(binding("alice", contact: "sip:a@10.0.0.1", expiresAt: R.now + 30))
        #expect(loc.nextExpiry == R.now + 30)
        #expect(loc.expire(now: R.now + 30).count == 1)
        #expect(loc.bindingCount == 0)
        #expect(loc.expire(now: R.now + 3600).isEmpty)
    }

    @Test("RFC 5627 5.5: a public GRUU finds the instance's bindings, a temp GRUU its binding until the Call-ID changes")
    func gruuLookup() throws {
        var loc = LocationService()
        let contact = "<sip:a@10.0.0.5>;+sip.instance=\"<urn:uuid:0000-1111>\""
        let first = try R.process(R.make(callID: "c1", contacts: [contact, "<sip:other@10.0.0.6>"], extra: ["Supported: gruu"]))
        loc.apply(first)
        let pub = try SIPURI("sip:alice@example.com;gr=urn:uuid:0000-1111")
        #expect(loc.lookup(gruu: pub, now: R.now).map(\.contactURI.description) == ["sip:a@10.0.0.5"])
        let token = try #require(first.bindings[0].tempGRUU)
        let temp = try SIPURI("sip:\(token)@example.com;gr")
        #expect(loc.lookup(gruu: temp, now: R.now).count == 1)
        #expect(loc.lookup(gruu: try SIPURI("sip:alice@example.com"), now: R.now).isEmpty)

        let renewed = try R.process(
            R.make(callID: "c2", contacts: [contact], extra: ["Supported: gruu"]), current: loc.bindings(for: first.aor, now: R.now))
        loc.apply(renewed)
        #expect(loc.lookup(gruu: temp, now: R.now).isEmpty)
        #expect(loc.lookup(gruu: pub, now: R.now).count == 1)
        #expect(loc.lookup(gruu: pub, now: R.now + 4000).isEmpty)
    }

    @Test("RFC 3261 10.3: replace restores an AOR's previous bindings when persisting failed")
    func restorePrevious() throws {
        var loc = LocationService()
        let first = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"]))
        loc.apply(first)
        let second = try R.process(R.make(cseq: 2, contacts: ["<sip:b@10.0.0.6>"]), current: loc.bindings(for: first.aor, now: R.now))
        loc.apply(second)
        #expect(loc.bindingCount == 2)
        loc.replace(second.aor, with: second.previous)
        #expect(loc.bindings(for: first.aor, now: R.now) == first.bindings)
        #expect(loc.bindingCount == 1)
    }
}

@Suite("Location service bulk load") struct LocationServiceLoadTests {
    @Test("RFC 3261 10.3: bindings loaded in bulk are found, ordered and expired like upserted ones")
    func bulkLoad() {
        var bulk = LocationService()
        var one = LocationService()
        var all: [Binding] = []
        for i in 0..<500 {
            let b = binding("u\(i % 100)", contact: "sip:p\(i)@10.0.0.1", expiresAt: R.now + Double(100 + (i * 37) % 400),
                registeredAt: R.now - Double(i))
            all.append(b)
            one.upsert(b)
        }
        all.append(all[0])  // a duplicate replaces, not adds
        bulk.load(all)
        #expect(bulk.bindingCount == 500)
        #expect(bulk.aorCount == 100)
        #expect(bulk.nextExpiry == one.nextExpiry)
        let aor = AddressOfRecord(user: "u7", domain: "example.com")
        #expect(bulk.bindings(for: aor, now: R.now).map(\.registeredAt) == bulk.bindings(for: aor, now: R.now).map(\.registeredAt).sorted())
        #expect(Set(bulk.lookup(aor, now: R.now).flatMap { $0 }.map(\.key)) == Set(one.lookup(aor, now: R.now).flatMap { $0 }.map(\.key)))
        let expiredBulk = bulk.expire(now: R.now + 300).map(\.key).sorted()
        let expiredOne = one.expire(now: R.now + 300).map(\.key).sorted()
        #expect(expiredBulk == expiredOne)
        #expect(!expiredBulk.isEmpty)
        #expect(bulk.bindingCount == one.bindingCount)
    }
}
