/// What the 200 (OK) to a REGISTER carries (RFC 3261 10.3 step 8).
public struct RegistrationReply: Sendable, Hashable {
    /// One Contact value per current binding, each with `expires=` and, for
    /// GRUU-capable instances, `pub-gruu`/`temp-gruu` (RFC 5627 5.4).
    public var contacts: [String]
    /// The request's Path values, echoed when it had Supported: path (RFC 3327 5.3).
    public var path: [String]
    /// Option tags for Require, e.g. `outbound` when outbound processing applied (RFC 5626 6).
    public var require: [String]

    public init(contacts: [String] = [], path: [String] = [], require: [String] = []) {
        self.contacts = contacts
        self.path = path
        self.require = require
    }

    /// The header fields in the order they go into the response.
    public var headerFields: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        if !require.isEmpty { out.append(("Require", require.joined(separator: ", "))) }
        for p in path { out.append(("Path", p)) }
        for c in contacts { out.append(("Contact", c)) }
        return out
    }

    /// `headerFields` as a response's extra headers (name, value), with room
    /// for `extra` more: one array, no intermediate one.
    public func responseHeaders(reservingCapacity extra: Int = 0) -> [(String, String)] {
        var out: [(String, String)] = []
        out.reserveCapacity((require.isEmpty ? 0 : 1) + path.count + contacts.count + extra)
        if !require.isEmpty { out.append(("Require", require.joined(separator: ", "))) }
        for p in path { out.append(("Path", p)) }
        for c in contacts { out.append(("Contact", c)) }
        return out
    }
}
