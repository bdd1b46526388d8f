import Foundation
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("RFC 3261 16.3-16.6: proxy request handling")
struct ProxyRequestTests {
    static let identity = ProxyIdentity(
        listeners: [.udp: SocketAddress(ip: "127.0.0.1", port: 5070)!, .tcp: SocketAddress(ip: "127.0.0.1", port: 5070)!],
        domains: ["switchboard.test"])

    static func invite(_ uri: String = "sip:bob@example.com", extra: [String] = []) throws -> SIPMessage {
        let lines =
            [
                "INVITE \(uri) SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKua1", "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=a1", "To: <sip:bob@example.com>", "Call-ID: c1@192.0.2.1", "CSeq: 1 INVITE",
                "Contact: <sip:alice@192.0.2.1>",
            ] + extra + ["Content-Length: 0"]
        return try SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    @Test("16.3 step 3: Max-Forwards 0 is 483")
    func maxForwards() throws {
        let m = try Self.invite(extra: []).replacing("Max-Forwards: 70", "Max-Forwards: 0")
        #expect(throws: SIPParseError(status: 483, reason: "Too Many Hops", header: "Max-Forwards")) {
            try ProxyRequest.validate(m, identity: Self.identity)
        }
    }

    @Test("16.3 step 5: Proxy-Require with an unknown option is 420")
    func proxyRequire() throws {
        let m = try Self.invite(extra: ["Proxy-Require: foo"])
        #expect(throws: SIPParseError.self) { try ProxyRequest.validate(m, identity: Self.identity) }
        do { try ProxyRequest.validate(m, identity: Self.identity) } catch { #expect(error.status == 420) }
    }

    @Test("16.3 step 4 and 16.6 step 8: a request that comes back unchanged is a loop (482); a spiral is not")
    func loop() throws {
        let original = try Self.invite()
        let branch = BranchFormat.make(shard: 0, loopHash: ProxyRequest.loopHash(original), unique: 1)
        var forwarded = try ProxyRequest.forward(original, to: nil, via: "SIP/2.0/UDP 127.0.0.1:5070;branch=\(branch)", recordRoute: [])
        try ProxyRequest.validate(original, identity: Self.identity)
        // Another element sends it straight back, unchanged but for its own Via.
        forwarded.prependHeader("Via", value: "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKother")
        let returning = try SIPMessage(bytes: forwarded.serialized())
        do {
            try ProxyRequest.validate(returning, identity: Self.identity)
            Issue.record("loop not detected")
        } catch {
            #expect(error.status == 482)
        }
        // A spiral: it comes back retargeted to a new Request-URI: forwarded again, not a loop.
        var spiral = returning
        spiral.setRequestURI("sip:bob-mobile@example.com")
        try ProxyRequest.validate(try SIPMessage(bytes: spiral.serialized()), identity: Self.identity)
    }

    @Test("16.6: the forwarded copy has a new Via on top, Max-Forwards minus one, Record-Route and the target")
    func forward() throws {
        let m = try Self.invite()
        let out = try ProxyRequest.forward(
            m, to: try SIPURI("sip:bob@192.0.2.20:5090"), via: "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s0-1-1",
            recordRoute: [Self.identity.recordRoute(for: .udp)!])
        let parsed = try SIPMessage(bytes: out.serialized())
        try parsed.validate()
        #expect(parsed.requestURIText == "sip:bob@192.0.2.20:5090")
        #expect(try parsed.maxForwards() == 69)
        #expect(try parsed.vias().map(\.sentBy) == ["127.0.0.1:5070", "192.0.2.1:5060"])
        #expect(try parsed.recordRoutes().first?.uri.description == "sip:127.0.0.1:5070;lr")
        #expect(try ProxyRequest.nextHop(of: parsed).description == "sip:bob@192.0.2.20:5090")
    }

    @Test("16.6 step 6: pre-loaded routes; a strict-router next hop gets the Request-URI as last Route")
    func strictRouter() throws {
        let m = try Self.invite()
        let out = try ProxyRequest.forward(
            m, to: nil, via: "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s0-1-1", recordRoute: [],
            preloadedRoutes: ["<sip:strict.example.net>"])
        #expect(out.requestURIText == "sip:strict.example.net")
        #expect(try out.routes().map(\.uri.description) == ["sip:bob@example.com"])
        let loose = try ProxyRequest.forward(
            m, to: nil, via: "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s0-1-1", recordRoute: [],
            preloadedRoutes: ["<sip:edge.example.net;lr>"])
        #expect(loose.requestURIText == "sip:bob@example.com")
        #expect(try ProxyRequest.nextHop(of: loose).host == "edge.example.net")
    }

    @Test("16.4: our own Route is removed; a strict router's request gets its Request-URI back from the last Route")
    func preprocess() throws {
        var loose = try Self.invite(extra: ["Route: <sip:127.0.0.1:5070;lr>, <sip:next.example.net;lr>"])
        try ProxyRequest.preprocessRoutes(&loose, identity: Self.identity)
        #expect(try loose.routes().map(\.uri.description) == ["sip:next.example.net;lr"])
        var strict = try Self.invite("sip:127.0.0.1:5070;lr", extra: ["Route: <sip:bob@example.com>"])
        try ProxyRequest.preprocessRoutes(&strict, identity: Self.identity)
        #expect(strict.requestURIText == "sip:bob@example.com")
        #expect(try strict.routes().isEmpty)
    }

    @Test("branches carry the shard and the loop hash")
    func branches() {
        let b = BranchFormat.make(shard: 3, loopHash: 0xDEAD_BEEF, unique: 42)
        #expect(b == "z9hG4bK-s3-deadbeef-00000000002a")
        #expect(BranchFormat.make(shard: 12, loopHash: 7, unique: 0x1234_5678_9abc_def0) == "z9hG4bK-s12-00000007-56789abcdef0")
        #expect(BranchFormat.shard(of: b) == 3)
        #expect(BranchFormat.loopHash(of: b) == 0xDEAD_BEEF)
        #expect(BranchFormat.shard(of: "z9hG4bKabc") == nil)
        // Only our own format is read: other peers' branches that look alike are not ours.
        for foreign in [
            "z9hG4bK-s-deadbeef-1", "z9hG4bK-s3-deadbeef", "z9hG4bK-s3-deadbeef-1-2", "z9hG4bK-s3-xyz-1",
            "z9hG4bK-s3-deadbeef-", "z9hG4bK-s3-1ffffffff-1", "Z9HG4BK-s3-deadbeef-1", "z9hG4bK-s3-deadbeef-1x",
        ] {
            #expect(BranchFormat.shard(of: foreign) == nil, "\(foreign)")
        }
    }
}

@Suite("RFC 3261 16.7 step 6: best response")
struct ResponseSelectionTests {
    @Test("6xx wins; else lowest class; 4xx prefers challenges; 503 becomes 500; nothing is 408")
    func best() {
        #expect(ResponseSelection.best(of: [486, 603, 200]) == 603)
        #expect(ResponseSelection.best(of: [486, 404, 302]) == 302)
        #expect(ResponseSelection.best(of: [486, 407, 404]) == 407)
        #expect(ResponseSelection.best(of: [503]) == 500)
        #expect(ResponseSelection.best(of: [503, 480]) == 480)
        #expect(ResponseSelection.best(of: []) == 408)
    }
}

@Suite("Static routes")
struct RouteTableTests {
    @Test("first matching rule wins; wildcard domains and user prefixes; default 404")
    func rules() throws {
        let a = try SIPURI("sip:carrier.example.net:5090")
        let table = RouteTable(rules: [
            .init(domain: "example.com", userPrefix: "+1", outcome: .forward(uris: [[a]])),
            .init(domain: "*.example.org", outcome: .reject(status: 403, reason: "Forbidden")),
        ])
        let m = try ProxyRequestTests.invite()
        #expect(table.route(m, requestURI: try SIPURI("sip:+14155550123@example.com")) == .forward(uris: [[a]]))
        #expect(table.route(m, requestURI: try SIPURI("sip:bob@example.com")) == .reject(status: 404, reason: "Not Found"))
        #expect(table.route(m, requestURI: try SIPURI("sip:x@a.example.org")) == .reject(status: 403, reason: "Forbidden"))
    }
}

extension SIPMessage {
    func replacing(_ a: String, _ b: String) throws -> SIPMessage {
        try SIPMessage(text.replacingOccurrences(of: a, with: b))
    }
}
