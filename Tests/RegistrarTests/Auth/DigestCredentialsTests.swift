import SIPCore
import Testing

@testable import Registrar

@Suite("Digest credentials read in one pass")
struct DigestCredentialsTests {
    static let mixedCase =
        "DIGEST UserName=\"alice\", Realm=\"r\", NONCE=\"n1\", nonce=\"n2\", URI=\"sip:r\", Response=\"00\", ALGORITHM=MD5, "
        + "QoP=auth, CNonce=\"c\", NC=00000001, Opaque=\"o\", UserHash=false, Username*=UTF-8''x, other=1"

    /// Each value as the string `AuthenticationParameters` holds.
    static func text(_ value: ArraySlice<UInt8>?) -> String? { value.map(DigestCredentials.text) }

    @Test("RFC 7616 3.4, RFC 3261 25.1: parameter names and the scheme are case-insensitive; the first of a name wins, as the header's subscript reads it")
    func namesAndFirstWins() throws {
        let header = try AuthenticationParameters(Self.mixedCase)
        for c in [DigestCredentials(header), try DigestCredentials(parsing: ArraySlice(Self.mixedCase.utf8), header: .authorization)] {
            #expect(c.isDigest)
            #expect(Self.text(c.username) == header.username)
            #expect(Self.text(c.realm) == header.realm)
            #expect(Self.text(c.nonce) == "n1")
            #expect(Self.text(c.nonce) == header.nonce)
            #expect(Self.text(c.uri) == header.uri)
            #expect(Self.text(c.response) == header.response)
            #expect(Self.text(c.algorithm) == header.algorithm)
            #expect(Self.text(c.qop) == header["qop"])
            #expect(Self.text(c.cnonce) == header.cnonce)
            #expect(Self.text(c.nc) == header["nc"])
            #expect(Self.text(c.opaque) == header.opaque)
            #expect(Self.text(c.userhash) == header["userhash"])
            #expect(Self.text(c.extendedUsername) == header["username*"])
        }
    }

    @Test("RFC 7616 3.4: credentials of another scheme are not digest credentials; absent parameters stay absent")
    func otherScheme() throws {
        let c = DigestCredentials(try AuthenticationParameters("Basic realm=\"r\""))
        #expect(!c.isDigest)
        #expect(Self.text(c.realm) == "r")
        #expect(c.nonce == nil && c.response == nil && c.qop == nil)
    }

    @Test("RFC 3261 25.1: quoted-string values read from the bytes are unquoted as the parsed header unquotes them, escapes included")
    func quotedPairsFromBytes() throws {
        let raw = #"Digest username="a\"b\\c", realm="r", nonce=tok, uri="sip:\r", cnonce="x\\""#
        let header = try AuthenticationParameters(raw)
        let c = try DigestCredentials(parsing: ArraySlice(raw.utf8), header: .authorization)
        #expect(Self.text(c.username) == header.username)
        #expect(Self.text(c.username) == #"a"b\c"#)
        #expect(Self.text(c.nonce) == "tok")
        #expect(Self.text(c.uri) == header.uri)
        #expect(Self.text(c.cnonce) == header.cnonce)
    }

    @Test("RFC 3261 25.1: credentials that do not parse are refused from the bytes as from the parsed header")
    func malformedFromBytes() {
        for raw in ["", "Digest realm", "Digest realm=\"r\" nonce=\"n\"", "Digest realm=\"unterminated"] {
            #expect(throws: SIPParseError.self) { try DigestCredentials(parsing: ArraySlice(raw.utf8), header: .authorization) }
            #expect(throws: SIPParseError.self) { try AuthenticationParameters(raw) }
        }
    }
}
