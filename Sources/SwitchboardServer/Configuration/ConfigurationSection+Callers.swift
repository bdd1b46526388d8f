import Registrar

extension ConfigurationSection {
    /// A list of networks (addresses or CIDR) that identify callers by source;
    /// entries that do not parse are reported at their index and left out.
    mutating func networks(_ key: String, default defaultValue: [String] = []) -> [String] {
        var networks: [String] = []
        for (entry, entryPath) in strings(key, default: defaultValue) {
            do {
                _ = try TrustedSources(parsing: [entry])
                networks.append(entry)
            } catch {
                diagnostics.report(.invalid(error.reason), at: entryPath)
            }
        }
        return networks
    }

    /// A list of user patterns: a `noun`, or a prefix followed by one `*`;
    /// other entries are reported at their index and left out.
    mutating func userPatterns(_ key: String, noun: String) -> [String] {
        var users: [String] = []
        for (entry, entryPath) in strings(key, default: []) {
            if entry.isEmpty || entry == "*" || entry.dropLast().contains("*") {
                diagnostics.report(.invalid("\(noun), or a prefix followed by one \"*\" (got \"\(entry)\")"), at: entryPath)
            } else {
                users.append(entry)
            }
        }
        return users
    }
}
