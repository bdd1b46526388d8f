import Testing

@testable import Registrar

@Suite("Strings the registrar assembles")
struct StringAssemblingTests {
    @Test("RFC 3261 10.3 step 8: a reply Contact assembled in one buffer reads as the pieces joined, expires in decimal")
    func assembling() {
        for value: UInt32 in [0, 7, 10, 600, 3600, 4_294_967_295] {
            let s = String(assembling: 64) { s in
                s.append("<")
                s.append(Array("sip:alice@192.0.2.1:5060".utf8)[...])
                s.append(">")
                s.append(";expires=")
                s.append(decimal: value)
            }
            #expect(s == "<sip:alice@192.0.2.1:5060>;expires=\(value)")
        }
        #expect(String(assembling: 0) { _ in } == "")
        #expect(String(assembling: 12) { $0.append("sbr-"); $0.append("J\u{e4}s") } == "sbr-J\u{e4}s")
    }

    @Test("RFC 3261 25.1: bytes that are not UTF-8 are repaired as String(decoding:) repairs them")
    func repair() {
        let bytes: [UInt8] = [0x3C, 0xFF, 0x61, 0xC3, 0x3E]
        #expect(String(assembling: 8) { $0.append(bytes[...]) } == String(decoding: bytes, as: UTF8.self))
    }

    @Test("RFC 3261 10.3 step 5: a domain is lowercased only when it has capitals or is not ASCII, with the result lowercased() gives")
    func lowercasing() {
        for domain in ["example.com", "Example.COM", "registrar.example.net", "", "R\u{c9}SEAU.example", "\u{212A}elvin.example", "a-b_c.1"] {
            #expect(domain.lowercasedIfNeeded == domain.lowercased())
        }
    }
}
