import SIPCore

extension SIPURI {
    /// A string equal for two URIs that RFC 3261 19.1.4 calls equivalent:
    /// scheme and host case-insensitive, user and password case-sensitive after
    /// unescaping, port as written, and the `transport`, `user`, `ttl`,
    /// `method` and `maddr` parameters and the headers compared when present.
    /// Other parameters are ignored (the RFC compares them only when both
    /// URIs carry them).
    var equivalenceKey: String {
        guard scheme == .sip || scheme == .sips else { return description.lowercased() }
        var key = schemeName + ":"
        if let user { key += user }
        if let password { key += ":" + password }
        key += "@" + host.lowercased()
        if let port { key += ":\(port)" }
        var significant: [(String, String)] = []
        for (name, value) in parameters {
            let n = name.lowercased()
            if ["transport", "user", "ttl", "method", "maddr"].contains(n) {
                significant.append((n, n == "user" || n == "method" ? (value ?? "") : (value ?? "").lowercased()))
            }
        }
        for (n, v) in significant.sorted(by: { $0.0 < $1.0 }) { key += ";\(n)=\(v)" }
        let hs = headers.map { "\($0.name.lowercased())=\($0.value)" }.sorted()
        if !hs.isEmpty { key += "?" + hs.joined(separator: "&") }
        return key
    }
}
