import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA: 3xx from the carrier leg (RFC 3261 8.1.3.4)")
struct B2BUARedirectTests {
    typealias H = B2BUAHarness
    static let carrier3 = SocketAddress(ip: "127.0.0.1", port: 5092)!
    static let carrier4 = SocketAddress(ip: "127.0.0.1", port: 5093)!

    @Test("RFC 3261 8.1.3.4: by default a 302 goes to A with the carrier's Contacts; nothing else is tried")
    func relayed() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 302, "Moved Temporarily", extra: [("Contact", "<sip:+15551234567@127.0.0.1:5092>")]), from: H.carrier1)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.carrier2 })
        let moved = try #require(out.first { $0.target.address == H.pbx }?.message)
        #expect(moved.statusCode == 302)
        #expect(try moved.contacts().map(\.uri.description) == ["sip:+15551234567@127.0.0.1:5092"])
        #expect(try moved.callID() == "pbx-call-1")
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("RFC 3261 8.1.3.4, 16.5: followed Contacts are tried highest q first, URIs already tried skipped, at most `limit`; then the 3xx goes to A")
    func followedBounded() throws {
        let h = H(B2BUARequest(candidates: H.carriers([H.carrier1]), redirects: .follow(limit: 2)))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        let contacts = "<sip:+15551234567@127.0.0.1:5090>, <sip:b@127.0.0.1:5091>;q=0.5, <sip:c@127.0.0.1:5092>;q=0.9"
        h.receive(H.response(to: first, 302, "Moved Temporarily", extra: [("Contact", contacts)]), from: H.carrier1)
        var out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.pbx && $0.message.statusCode >= 200 })
        #expect(!out.contains { $0.target.address == H.carrier1 && $0.message.method == .invite }, "the redirecting URI is not tried again")
        let second = try #require(out.first { $0.target.address == Self.carrier3 && $0.message.method == .invite }?.message)
        #expect(second.requestURIText == "sip:c@127.0.0.1:5092")
        #expect(try second.callID() != first.callID())
        #expect(h.b2bua.statistics.redirectsFollowed == 2)

        h.receive(H.response(to: second, 301, "Moved Permanently", extra: [("Contact", "<sip:d@127.0.0.1:5093>")]), from: Self.carrier3)
        out = h.sender.take()
        #expect(!out.contains { $0.target.address == Self.carrier4 }, "the limit of 2 redirect targets is reached")
        let moved = try #require(out.first { $0.target.address == H.pbx }?.message)
        #expect(moved.statusCode == 301)
        #expect(try moved.contacts().map(\.uri.description) == ["sip:d@127.0.0.1:5093"])
    }

    @Test("A followed redirect to another host does not take the carrier's credentials unless their realm is pinned")
    func credentialsStayWithHost() throws {
        var target = H.carriers([H.carrier1])[0]
        target.credentials = CarrierCredentials(username: "u", password: "p")
        let h = H(B2BUARequest(candidates: [target], redirects: .follow(limit: 3)))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        let contacts = "<sip:a@127.0.0.1:5091>, <sip:b@127.0.0.2:5092>"
        h.receive(H.response(to: first, 302, "Moved Temporarily", extra: [("Contact", contacts)]), from: H.carrier1)
        let candidates = try #require(h.b2bua.calls.values.first?.request.candidates)
        #expect(candidates.map { $0.credentials != nil } == [true, true, false])
    }
}
