import SIPCore
import Testing

@testable import Registrar

@Suite("Digest credentials read in one pass")
struct DigestCredentialsTests {
    @Test("RFC 7616 3.4, RFC 3261 25.1: parameter names and the scheme are case-insensitive; the first of a name wins, as the header's subscript reads it")
    func namesAndFirstWins() throws {
        let header = try AuthenticationParameters(
            "DIGEST UserName=\"alice\", Realm=\"r\", NONCE=\"n1\", nonce=\"n2\", URI=\"sip:r\", Response=\"00\", ALGORITHM=MD5, "
                + "QoP=auth, CNonce=\"c\", NC=00000001, Opaque=\"o\", UserHash=false, Username*=UTF-8''x, other=1")
        let c = DigestCredentials(header)
        #expect(c.isDigest)
        #expect(c.username == header.username)
        #expect(c.realm == header.realm)
        #expect(c.nonce == "n1")
        #expect(c.nonce == header.nonce)
        #expect(c.uri == header.uri)
        #expect(c.response == header.response)
        #expect(c.algorithm == header.algorithm)
        #expect(c.qop == header["qop"])
        #expect(c.cnonce == header.cnonce)
        #expect(c.nc == header["nc"])
        #expect(c.opaque == header.opaque)
        #expect(c.userhash == header["userhash"])
        #expect(c.extendedUsername == header["username*"])
    }

    @Test("RFC 7616 3.4: credentials of another scheme are not digest credentials; absent parameters stay absent")
    func otherScheme() throws {
        let c = DigestCredentials(try AuthenticationParameters("Basic realm=\"r\""))
        #expect(!c.isDigest)
        #expect(c.realm == "r")
        #expect(c.nonce == nil && c.response == nil && c.qop == nil)
    }
}
