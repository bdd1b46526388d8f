import Registrar

/// One `[[routing.customer]]`: a PBX or group of users whose concurrent
/// bridged calls are limited, identified by source address and/or
/// authenticated user.
public struct CustomerSettings: Hashable, Sendable {
    public var name: String
    /// Networks (`203.0.113.0/24`, `2001:db8::1`) the customer calls from.
    public var sources: [String]
    /// Authenticated users (`alice`, or a prefix `pbx-*`).
    public var users: [String]
    /// Concurrent calls; over it a new call gets 503 with Retry-After (0: no limit). Emergency calls are exempt.
    public var channels: Int
    /// Seconds in the 503's Retry-After.
    public var retryAfter: Int

    public init(name: String, sources: [String] = [], users: [String] = [], channels: Int, retryAfter: Int = 5) {
        self.name = name
        self.sources = sources
        self.users = users
        self.channels = channels
        self.retryAfter = retryAfter
    }

    init(reading section: inout ConfigurationSection) {
        name = section.string("name", default: "")
        if name.isEmpty || !name.utf8.allSatisfy(ConfigurationKeyPath.isBareKeyByte) {
            section.report(.invalid("a customer name is letters, digits, '-' and '_' (got \"\(name)\")"), at: "name")
        }
        sources = section.networks("sources")
        users = section.userPatterns("users", noun: "a user name")
        if sources.isEmpty && users.isEmpty {
            section.report(.invalid("give sources = [...] and/or users = [...]: who this customer is"), at: "sources")
        }
        if !section.has("channels") { section.report(.invalid("required: the customer's concurrent calls"), at: "channels") }
        channels = section.integer("channels", default: 0, range: 0...1_000_000)
        retryAfter = section.integer("retry_after", default: 5, range: 0...3600)
    }
}
