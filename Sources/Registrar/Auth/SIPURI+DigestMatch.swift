import SIPCore

extension SIPURI {
    /// Whether `self` (the `uri` of credentials) names the same resource as
    /// the Request-URI, by the comparison rules of RFC 3261 section 19.1.4:
    /// scheme, user and password exactly, host case-insensitively, ports
    /// equal, and URI parameters present in both equal (`user`, `ttl`,
    /// `method`, `maddr` and `transport` must be in both or neither).
    func matchesForDigest(_ other: SIPURI) -> Bool {
        guard scheme == other.scheme else { return false }
        if scheme == .other {
            return description == other.description
        }
        guard user == other.user, password == other.password,
            host.lowercased() == other.host.lowercased(), port == other.port
        else { return false }
        var mine: [String: String] = [:]
        for p in parameters { mine[p.name.lowercased()] = p.value?.lowercased() ?? "" }
        var theirs: [String: String] = [:]
        for p in other.parameters { theirs[p.name.lowercased()] = p.value?.lowercased() ?? "" }
        for name in ["user", "ttl", "method", "maddr", "transport"] where (mine[name] == nil) != (theirs[name] == nil) {
            return false
        }
        for (name, value) in mine {
            if let theirValue = theirs[name], theirValue != value { return false }
        }
        return true
    }
}
