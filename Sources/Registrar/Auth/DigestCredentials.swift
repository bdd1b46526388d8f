import SIPCore

/// The parameters of one Authorization or Proxy-Authorization value that
/// the verifier reads, picked out in one pass over them. Names compare
/// case-insensitively and the first of a name wins, as
/// `AuthenticationParameters`' subscript reads them, without lowercasing
/// every name for every lookup.
struct DigestCredentials {
    var isDigest: Bool
    var realm: String?
    var username: String?
    /// `username*` (RFC 7616 3.4.4), an RFC 8187 ext-value.
    var extendedUsername: String?
    var nonce: String?
    var uri: String?
    var response: String?
    var algorithm: String?
    var qop: String?
    var cnonce: String?
    var nc: String?
    var opaque: String?
    var userhash: String?

    init(_ credentials: AuthenticationParameters) {
        isDigest = Self.equalsIgnoringCase(credentials.scheme, "digest")
        for p in credentials.parameters {
            switch Self.known(p.name) {
            case "realm": if realm == nil { realm = p.value }
            case "username": if username == nil { username = p.value }
            case "username*": if extendedUsername == nil { extendedUsername = p.value }
            case "nonce": if nonce == nil { nonce = p.value }
            case "uri": if uri == nil { uri = p.value }
            case "response": if response == nil { response = p.value }
            case "algorithm": if algorithm == nil { algorithm = p.value }
            case "qop": if qop == nil { qop = p.value }
            case "cnonce": if cnonce == nil { cnonce = p.value }
            case "nc": if nc == nil { nc = p.value }
            case "opaque": if opaque == nil { opaque = p.value }
            case "userhash": if userhash == nil { userhash = p.value }
            default: break
            }
        }
    }

    private static let names = [
        "realm", "username", "username*", "nonce", "uri", "response", "algorithm", "qop", "cnonce", "nc", "opaque", "userhash",
    ]

    /// The lowercase name this parameter is, if the verifier reads it.
    private static func known(_ name: String) -> String? {
        // Full Unicode lowercasing, as the subscript does, only for a name that is not ASCII.
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            let lower = name.lowercased()
            return names.first { $0 == lower }
        }
        let count = name.utf8.count
        let first = name.utf8.first.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return names.first { $0.utf8.count == count && $0.utf8.first == first && equalsIgnoringCase(name, $0) }
    }

    /// ASCII case-insensitive equality with a lowercase ASCII name.
    private static func equalsIgnoringCase(_ text: String, _ lowercase: String) -> Bool {
        text.utf8.elementsEqual(lowercase.utf8) { a, b in (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b }
    }
}
