import SIPCore

/// The parameters of one Authorization or Proxy-Authorization value that
/// the verifier reads, picked out in one pass over them. Names compare
/// case-insensitively and the first of a name wins, as
/// `AuthenticationParameters`' subscript reads them.
///
/// Values are the unquoted bytes, slices of the request where they can be
/// (no escapes), so reading credentials allocates nothing; `text(_:)` makes
/// a value a string, as `AuthenticationParameters` holds it.
struct DigestCredentials {
    var isDigest: Bool
    var realm: ArraySlice<UInt8>?
    var username: ArraySlice<UInt8>?
    /// `username*` (RFC 7616 3.4.4), an RFC 8187 ext-value.
    var extendedUsername: ArraySlice<UInt8>?
    var nonce: ArraySlice<UInt8>?
    var uri: ArraySlice<UInt8>?
    var response: ArraySlice<UInt8>?
    var algorithm: ArraySlice<UInt8>?
    var qop: ArraySlice<UInt8>?
    var cnonce: ArraySlice<UInt8>?
    var nc: ArraySlice<UInt8>?
    var opaque: ArraySlice<UInt8>?
    var userhash: ArraySlice<UInt8>?

    /// Credentials as they are written in a header value (RFC 7616 3.4); throws what parsing them would.
    init(parsing raw: ArraySlice<UInt8>, header: HeaderName) throws(SIPParseError) {
        var c = DigestCredentials(scheme: [])
        let scheme = try AuthenticationParameters.forEachParameter(in: raw, header: header) { name, value in
            c.set(name, value)
        }
        c.isDigest = scheme.equalsLowercase("digest")
        self = c
    }

    /// Credentials already parsed into strings.
    init(_ credentials: AuthenticationParameters) {
        self.init(scheme: credentials.scheme.utf8)
        for p in credentials.parameters { set(p.name.utf8, Array(p.value.utf8)[...]) }
    }

    private init(scheme: some Collection<UInt8>) {
        isDigest = scheme.equalsLowercase("digest")
    }

    private mutating func set(_ name: some Collection<UInt8>, _ value: ArraySlice<UInt8>) {
        guard let first = name.first else { return }
        // Dispatch on length and first letter, then compare the whole name.
        switch (name.count, first | 0x20) {
        case (5, UInt8(ascii: "r")): if realm == nil, name.equalsLowercase("realm") { realm = value }
        case (8, UInt8(ascii: "u")): if username == nil, name.equalsLowercase("username") { username = value }
        case (9, UInt8(ascii: "u")): if extendedUsername == nil, name.equalsLowercase("username*") { extendedUsername = value }
        case (5, UInt8(ascii: "n")): if nonce == nil, name.equalsLowercase("nonce") { nonce = value }
        case (3, UInt8(ascii: "u")): if uri == nil, name.equalsLowercase("uri") { uri = value }
        case (8, UInt8(ascii: "r")): if response == nil, name.equalsLowercase("response") { response = value }
        case (9, UInt8(ascii: "a")): if algorithm == nil, name.equalsLowercase("algorithm") { algorithm = value }
        case (3, UInt8(ascii: "q")): if qop == nil, name.equalsLowercase("qop") { qop = value }
        case (6, UInt8(ascii: "c")): if cnonce == nil, name.equalsLowercase("cnonce") { cnonce = value }
        case (2, UInt8(ascii: "n")): if nc == nil, name.equalsLowercase("nc") { nc = value }
        case (6, UInt8(ascii: "o")): if opaque == nil, name.equalsLowercase("opaque") { opaque = value }
        default: break
        }
        // "username" and "userhash" share length and first letter.
        if name.count == 8, first | 0x20 == UInt8(ascii: "u"), userhash == nil, name.equalsLowercase("userhash") {
            userhash = value
        }
    }

    /// A value as the string `AuthenticationParameters` would hold (invalid UTF-8 repaired).
    static func text(_ value: ArraySlice<UInt8>) -> String {
        String(decoding: value, as: UTF8.self)
    }
}
