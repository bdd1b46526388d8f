import Registrar
import SIPCore
import Testing

@testable import CallCore

@Suite("Digest credentials Switchboard sends to carriers")
struct DigestAuthorizationTests {
    static let credentials = CarrierCredentials(username: "Mufasa", password: "Circle of Life")
    static let nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    static let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    static let opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

    static func challenge(_ algorithm: String, realm: String = "http-auth@example.org", qop: String = "auth, auth-int") throws
        -> AuthenticationParameters
    {
        try AuthenticationParameters(
            "Digest realm=\"\(realm)\", qop=\"\(qop)\", algorithm=\(algorithm), nonce=\"\(nonce)\", opaque=\"\(opaque)\"",
            header: .wwwAuthenticate)
    }

    @Test("RFC 7616 3.9.1: the MD5 and SHA-256 examples give the RFC's response values")
    func rfcVectors() throws {
        for (algorithm, expected) in [
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"), ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ] {
            let chosen = DigestAuthorization.choose([try Self.challenge(algorithm)], credentials: Self.credentials)
            let answer = try #require(chosen.first)
            let value = answer.headerValue(
                username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html", nc: 1, cnonce: Self.cnonce)
            let parsed = try AuthenticationParameters(value, header: .authorization)
            #expect(parsed.response == expected)
            #expect(parsed["nc"] == "00000001")
            #expect(parsed["qop"] == "auth")
            #expect(parsed.algorithm == algorithm)
            #expect(parsed.opaque == Self.opaque)
            #expect(parsed.uri == "/dir/index.html")
            #expect(!value.contains("Circle of Life"))
        }
    }

    @Test("RFC 8760 2.4, RFC 7616 3.7: the strongest supported algorithm of a realm is answered; -sess and auth-int-only are not")
    func strongestAlgorithm() throws {
        let offered = [
            try Self.challenge("MD5"), try Self.challenge("SHA-256"), try Self.challenge("SHA-512-256-sess"), try Self.challenge("SHA-512-256"),
        ]
        #expect(DigestAuthorization.choose(offered, credentials: Self.credentials).map(\.algorithm) == [.sha512_256])
        #expect(DigestAuthorization.choose([try Self.challenge("MD5-sess")], credentials: Self.credentials).isEmpty)
        #expect(DigestAuthorization.choose([try Self.challenge("MD5", qop: "auth-int")], credentials: Self.credentials).isEmpty)
        let noAlgorithm = try AuthenticationParameters("Digest realm=\"r\", nonce=\"n\"", header: .wwwAuthenticate)
        let rfc2069 = try #require(DigestAuthorization.choose([noAlgorithm], credentials: Self.credentials).first)
        #expect(rfc2069.algorithm == .md5 && !rfc2069.qop)
        let value = rfc2069.headerValue(username: "u", password: "p", method: "INVITE", uri: "sip:x@y", nc: 1, cnonce: "c")
        #expect(!value.contains("nc=") && !value.contains("cnonce="))
    }

    @Test("RFC 3261 22.2: credentials restricted to a realm answer only that realm; one answer per realm challenged")
    func realmRestriction() throws {
        let pinned = CarrierCredentials(username: "u", password: "p", realm: "sip.vonage.example")
        #expect(DigestAuthorization.choose([try Self.challenge("MD5")], credentials: pinned).isEmpty)
        let two = [try Self.challenge("MD5", realm: "sip.vonage.example"), try Self.challenge("SHA-256", realm: "edge.example")]
        #expect(DigestAuthorization.choose(two, credentials: pinned).map(\.realm) == ["sip.vonage.example"])
        #expect(DigestAuthorization.choose(two, credentials: Self.credentials).map(\.realm) == ["sip.vonage.example", "edge.example"])
    }

    @Test("Credentials never show their password in a description")
    func redacted() {
        let credentials = CarrierCredentials(username: "trunk", password: "hunter2", realm: "sip.twilio.com")
        let target = B2BUATarget(target: ForwardTarget(uri: try! SIPURI("sip:x@127.0.0.1")), credentials: credentials)
        for text in ["\(credentials)", String(reflecting: credentials), "\(target)", String(reflecting: target)] {
            #expect(!text.contains("hunter2"))
        }
    }
}
