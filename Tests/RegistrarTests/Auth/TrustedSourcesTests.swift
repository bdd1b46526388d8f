import Testing
@testable import Registrar

@Suite("Trusted sources") struct TrustedSourcesTests {
    @Test("RFC 4632 3.1: IPv4 prefixes match at their boundaries")
    func ipv4() throws {
        let trusted = try TrustedSources(parsing: ["10.0.0.0/8", "192.0.2.7", "198.51.100.128/25"])
        #expect(trusted.contains("10.0.0.0"))
        #expect(trusted.contains("10.255.255.255"))
        #expect(!trusted.contains("11.0.0.0"))
        #expect(!trusted.contains("9.255.255.255"))
        #expect(trusted.contains("192.0.2.7"))
        #expect(!trusted.contains("192.0.2.8"))
        #expect(trusted.contains("198.51.100.128"))
        #expect(trusted.contains("198.51.100.255"))
        #expect(!trusted.contains("198.51.100.127"))
    }

    @Test("RFC 4291 2.3: IPv6 prefixes, brackets and zones")
    func ipv6() throws {
        let trusted = try TrustedSources(parsing: ["2001:db8::/32", "fe80::1", "2001:db8:ffff:1::/127"])
        #expect(trusted.contains("2001:db8::1"))
        #expect(trusted.contains("[2001:db8:abcd::42]"))
        #expect(trusted.contains("2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff"))
        #expect(!trusted.contains("2001:db9::1"))
        #expect(trusted.contains("fe80::1%eth0"))
        #expect(!trusted.contains("fe80::2"))
        // An IPv6 network never matches an IPv4 source and vice versa.
        #expect(!trusted.contains("32.1.13.184"))
    }

    @Test("RFC 4291 2.5.5.2: IPv4-mapped sources and entries compare as IPv4")
    func mapped() throws {
        let trusted = try TrustedSources(parsing: ["10.0.0.0/8", "::ffff:192.0.2.0/120"])
        #expect(trusted.contains("::ffff:10.1.2.3"))
        #expect(!trusted.contains("::ffff:11.1.2.3"))
        #expect(trusted.contains("192.0.2.200"))
        #expect(trusted.contains("::ffff:192.0.2.1"))
    }

    @Test("RFC 4632 3.1: /0 trusts everything of its family, /32 and /128 one address")
    func extremes() throws {
        let all4 = try TrustedSources(parsing: ["0.0.0.0/0"])
        #expect(all4.contains("203.0.113.9"))
        #expect(!all4.contains("2001:db8::1"))
        let one = try TrustedSources(parsing: ["203.0.113.9/32", "2001:db8::9/128"])
        #expect(one.contains("203.0.113.9"))
        #expect(!one.contains("203.0.113.8"))
        #expect(one.contains("2001:db8::9"))
        #expect(!one.contains("2001:db8::8"))
        let none = try TrustedSources(parsing: [])
        #expect(none.isEmpty)
        #expect(!none.contains("127.0.0.1"))
    }

    @Test("RFC 4632 3.1: what is not an address is never trusted")
    func garbageSources() throws {
        let trusted = try TrustedSources(parsing: ["0.0.0.0/0", "::/0"])
        #expect(!trusted.contains(""))
        #expect(!trusted.contains("pbx.example.com"))
        #expect(!trusted.contains("10.0.0.1:5060"))
        #expect(!trusted.contains("10.0.0"))
    }

    @Test("RFC 4632 3.1: a wrong entry is named with its position and the reason")
    func parseErrors() {
        func error(_ entries: [String]) -> TrustedSources.EntryError? {
            do { _ = try TrustedSources(parsing: entries); return nil } catch { return error }
        }
        #expect(error(["10.0.0.0/8", "10.0.0.0/33"]) == .init(index: 1, entry: "10.0.0.0/33", reason: "prefix length 33 is not a number from 0 to 32"))
        #expect(error(["2001:db8::/129"])?.reason == "prefix length 129 is not a number from 0 to 128")
        #expect(error(["10.0.0.1/8"])?.reason == "host bits set after /8")
        #expect(error(["pbx.example.com"])?.reason == "pbx.example.com is not an IPv4 or IPv6 address")
        #expect(error(["10.0.0.0/8/9"])?.reason == "more than one /")
        #expect(error(["10.0.0.0/"])?.reason == "prefix length  is not a number from 0 to 32")
        #expect(error(["10.0.0.0/-1"])?.reason == "prefix length -1 is not a number from 0 to 32")
        #expect(error([" "])?.reason == "empty entry")
        #expect(error(["256.0.0.0"]) != nil)
        #expect(error(["10.0.0.0/8"]) == nil)
        #expect(error(["10.0.0.0/8", "x"])?.description == "trusted source #2 \"x\": x is not an IPv4 or IPv6 address")
    }
}
