import Testing
@testable import Registrar

@Suite("Registrar module") struct RegistrarModuleTests {
    @Test("RFC 7616 6.1: algorithm tokens are case-insensitive, unknown ones refused")
    func algorithmTokens() {
        #expect(DigestAlgorithm(token: "sha-256") == .sha256)
        #expect(DigestAlgorithm(token: "SHA-512-256") == .sha512_256)
        #expect(DigestAlgorithm(token: "md5") == .md5)
        #expect(DigestAlgorithm(token: "SHA-1") == nil)
    }
}
