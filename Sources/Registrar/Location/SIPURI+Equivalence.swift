import SIPCore

extension SIPURI {
    /// A string equal for two URIs that RFC 3261 19.1.4 calls equivalent:
    /// scheme and host case-insensitive, user and password case-sensitive after
    /// unescaping, port as written, and the `transport`, `user`, `ttl`,
    /// `method` and `maddr` parameters and the headers compared when present.
    /// Other parameters are ignored (the RFC compares them only when both
    /// URIs carry them).
    var equivalenceKey: String { equivalenceKey(prefix: "") }

    /// `prefix` followed by `equivalenceKey`, made as one string.
    func equivalenceKey(prefix: String) -> String {
        guard scheme == .sip || scheme == .sips else { return prefix + description.lowercased() }
        let scheme = schemeName
        let user = user
        let password = password
        let host = host.lowercased()
        var capacity = prefix.utf8.count + scheme.utf8.count + 2 + host.utf8.count + 6
        capacity += (user?.utf8.count ?? 0) + (password.map { $0.utf8.count + 1 } ?? 0)
        var key = String(assembling: capacity) { key in
            key.append(prefix)
            key.append(scheme)
            key.append(":")
            if let user { key.append(user) }
            if let password {
                key.append(":")
                key.append(password)
            }
            key.append("@")
            key.append(host)
            if let port {
                key.append(":")
                key.append(decimal: UInt32(port))
            }
        }
        if !parameters.isEmpty {
            var significant: [(String, String)] = []
            for (name, value) in parameters {
                let n = name.lowercased()
                switch n {
                case "user", "method": significant.append((n, value ?? ""))
                case "transport", "ttl", "maddr": significant.append((n, (value ?? "").lowercased()))
                default: break
                }
            }
            for (n, v) in significant.sorted(by: { $0.0 < $1.0 }) {
                key += ";"
                key += n
                key += "="
                key += v
            }
        }
        if hasHeaders {
            let hs = headers.map { "\($0.name.lowercased())=\($0.value)" }.sorted()
            if !hs.isEmpty { key += "?" + hs.joined(separator: "&") }
        }
        return key
    }
}
