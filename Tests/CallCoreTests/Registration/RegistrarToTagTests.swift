import Testing

@testable import CallCore

@Suite("Registrar To tags")
struct RegistrarToTagTests {
    @Test("RFC 3261 8.2.6.2: the To tag of a registrar's response is sbr- and the Call-ID hash in lowercase hex")
    func tagText() {
        for hash: UInt32 in [0, 1, 0xf, 0x10, 0xabc, 0x0123_4567, 0x8000_0000, 0xdead_beef, .max] {
            #expect(RegistrarService.tag(hash: hash) == "sbr-" + String(hash, radix: 16))
        }
    }
}
