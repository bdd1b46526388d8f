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
        c.isDigest = Self.equalsIgnoringCase(scheme, "digest")
        self = c
    }

    /// Credentials already parsed into strings.
    init(_ credentials: AuthenticationParameters) {
        self.init(scheme: credentials.scheme.utf8)
        for p in credentials.parameters { set(p.name.utf8, Array(p.value.utf8)[...]) }
    }

    private init(scheme: some Collection<UInt8>) {
        isDigest = Self.equalsIgnoringCase(scheme, "digest")
    }

    private mutating func set(_ name: some Collection<UInt8>, _ value: ArraySlice<UInt8>) {
        guard let first = name.first else { return }
        // Dispatch on length and first letter, then compare the whole name.
        switch (name.count, first | 0x20) {
        case (5, UInt8(ascii: "r")): if realm == nil, Self.equalsIgnoringCase(name, "realm") { realm = value }
        case (8, UInt8(ascii: "u")): if username == nil, Self.equalsIgnoringCase(name, "username") { username = value }
        case (9, UInt8(ascii: "u")): if extendedUsername == nil, Self.equalsIgnoringCase(name, "username*") { extendedUsername = value }
        case (5, UInt8(ascii: "n")): if nonce == nil, Self.equalsIgnoringCase(name, "nonce") { nonce = value }
        case (3, UInt8(ascii: "u")): if uri == nil, Self.equalsIgnoringCase(name, "uri") { uri = value }
        case (8, UInt8(ascii: "r")): if response == nil, Self.equalsIgnoringCase(name, "response") { response = value }
        case (9, UInt8(ascii: "a")): if algorithm == nil, Self.equalsIgnoringCase(name, "algorithm") { algorithm = value }
        case (3, UInt8(ascii: "q")): if qop == nil, Self.equalsIgnoringCase(name, "qop") { qop = value }
        case (6, UInt8(ascii: "c")): if cnonce == nil, Self.equalsIgnoringCase(name, "cnonce") { cnonce = value }
        case (2, UInt8(ascii: "n")): if nc == nil, Self.equalsIgnoringCase(name, "nc") { nc = value }
        case (6, UInt8(ascii: "o")): if opaque == nil, Self.equalsIgnoringCase(name, "opaque") { opaque = value }
        default: break
        }
        // "username" and "userhash" share length and first letter.
        if name.count == 8, first | 0x20 == UInt8(ascii: "u"), userhash == nil, Self.equalsIgnoringCase(name, "userhash") {
            userhash = value
        }
    }

    /// A value as the string `AuthenticationParameters` would hold (invalid UTF-8 repaired).
    static func text(_ value: ArraySlice<UInt8>) -> String {
        String(decoding: value, as: UTF8.self)
    }

    /// ASCII case-insensitive equality with a lowercase ASCII name. Names are
    /// tokens (ASCII), so this is the case-insensitive comparison the
    /// subscript makes.
    static func equalsIgnoringCase(_ text: some Collection<UInt8>, _ lowercase: StaticString) -> Bool {
        let name = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        guard text.count == name.count else { return false }
        return text.withContiguousStorageIfAvailable { Self.equalsIgnoringCase($0, name) }
            ?? text.elementsEqual(name) { a, b in (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b }
    }

    private static func equalsIgnoringCase(_ text: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<text.count {
            let a = text[i]
            if (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) != name[i] { return false }
        }
        return true
    }
}
