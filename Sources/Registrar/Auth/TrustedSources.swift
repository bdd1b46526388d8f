#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Networks whose requests skip digest authentication: the PBXs and
/// carriers an operator lists as `10.0.0.0/8`, `2001:db8::/32` or single
/// addresses. IPv4-mapped IPv6 sources (`::ffff:10.1.2.3`) match IPv4 entries.
public struct TrustedSources: Sendable, Hashable {
    /// One network: address bytes (4 or 16) with the host bits cleared, and the prefix length.
    public struct Network: Sendable, Hashable, CustomStringConvertible {
        public let address: [UInt8]
        public let prefixLength: Int
        let text: String

        public var description: String { text }

        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == address.count else { return false }
            var remaining = prefixLength
            for i in 0..<bytes.count where remaining > 0 {
                let bits = min(remaining, 8)
                let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
                if bytes[i] & mask != address[i] { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// A configuration entry that is not a network, with its position (0-based) and why.
    public struct EntryError: Error, Sendable, Hashable, CustomStringConvertible {
        public let index: Int
        public let entry: String
        public let reason: String

        public var description: String { "trusted source #\(index + 1) \"\(entry)\": \(reason)" }
    }

    public let networks: [Network]

    public init(parsing entries: [String]) throws(EntryError) {
        var networks: [Network] = []
        for (index, entry) in entries.enumerated() {
            do throws(ParseFailure) {
                networks.append(try Self.network(entry))
            } catch {
                throw EntryError(index: index, entry: entry, reason: error.reason)
            }
        }
        self.networks = networks
    }

    public var isEmpty: Bool { networks.isEmpty }

    /// Whether `address` (IPv4 or IPv6 text, brackets and zone allowed) lies in a trusted network.
    /// Text that is not an address is never trusted.
    public func contains(_ address: String) -> Bool {
        var text = Substring(address)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        guard var bytes = Self.addressBytes(String(text)) else { return false }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            bytes = Array(bytes[12...])
        }
        return networks.contains { $0.contains(bytes) }
    }

    private struct ParseFailure: Error { let reason: String }

    private static func network(_ entry: String) throws(ParseFailure) -> Network {
        let trimmed = entry.trimmingSpaces
        guard !trimmed.isEmpty else { throw ParseFailure(reason: "empty entry") }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw ParseFailure(reason: "more than one /") }
        guard let address = addressBytes(String(parts[0])) else {
            throw ParseFailure(reason: "\(parts[0]) is not an IPv4 or IPv6 address")
        }
        let maxPrefix = address.count * 8
        var prefix = maxPrefix
        if parts.count == 2 {
            guard let p = Int(parts[1]), parts[1].allSatisfy(\.isASCII), (0...maxPrefix).contains(p) else {
                throw ParseFailure(reason: "prefix length \(parts[1]) is not a number from 0 to \(maxPrefix)")
            }
            prefix = p
        }
        let network = Network(address: address, prefixLength: prefix, text: trimmed)
        var cleared = address
        var remaining = prefix
        for i in 0..<cleared.count {
            let bits = min(max(remaining, 0), 8)
            cleared[i] &= UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            remaining -= 8
        }
        guard cleared == address else {
            throw ParseFailure(reason: "host bits set after /\(prefix)")
        }
        // An IPv4-mapped IPv6 network is the IPv4 network it maps, since sources are compared as IPv4.
        if address.count == 16, prefix >= 96, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xff, address[11] == 0xff {
            return Network(address: Array(address[12...]), prefixLength: prefix - 96, text: trimmed)
        }
        return network
    }

    /// 4 or 16 bytes, or nil: inet_pton(3), which reads text and touches nothing else.
    private static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if text.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if text.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 { return v6 }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
