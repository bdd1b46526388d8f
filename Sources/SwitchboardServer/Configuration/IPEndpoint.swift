#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address literal and a port, as written in `HOST:PORT`
/// (`127.0.0.1:5060`, `[::1]:5061`). Host names are not accepted: a listener
/// binds to an address, and resolving names at load time would make a
/// configuration's meaning depend on DNS.
public struct IPEndpoint: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Hashable, Sendable {
        case ipv4
        case ipv6
    }

    /// The address in canonical text form, without brackets (`::1`).
    public var host: String
    public var family: Family
    public var port: UInt16

    public init(host: String, family: Family, port: UInt16) {
        self.host = host
        self.family = family
        self.port = port
    }

    /// Parses `HOST[:PORT]`; `defaultPort` is used when the port is left out,
    /// and a missing port is an error when it is `nil`.
    public init(parsing text: Substring, defaultPort: UInt16?) throws(ConfigurationError.Problem) {
        var hostText: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .invalid("invalid address \"\(text)\" (missing \"]\" after the IPv6 address)")
            }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else {
                    throw .invalid("invalid address \"\(text)\" (expected \":PORT\" after \"]\")")
                }
                portText = rest.dropFirst()
            }
            guard let canonical = Self.canonical(hostText, family: AF_INET6) else {
                throw .invalid("invalid IPv6 address \"\(hostText)\"")
            }
            self.host = canonical
            self.family = .ipv6
        } else {
            let colons = text.filter { $0 == ":" }.count
            if colons > 1 {
                throw .invalid("invalid address \"\(text)\" (write IPv6 addresses in brackets, e.g. \"[::1]\")")
            }
            if let colon = text.firstIndex(of: ":") {
                hostText = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                hostText = text
            }
            guard let canonical = Self.canonical(hostText, family: AF_INET) else {
                throw .invalid(
                    "invalid host \"\(hostText)\" (expected an IPv4 address or a bracketed IPv6 address)")
            }
            self.host = canonical
            self.family = .ipv4
        }
        if let portText {
            guard let number = Int(portText), portText.allSatisfy(\.isASCII) else {
                throw .invalid("invalid port \"\(portText)\"")
            }
            // Port 0: the system picks a free port (tests, ephemeral listeners).
            guard (0...65535).contains(number) else {
                throw .outOfRange(value: number, range: 0...65535)
            }
            self.port = UInt16(number)
        } else if let defaultPort {
            self.port = defaultPort
        } else {
            throw .invalid("missing port in \"\(text)\" (expected HOST:PORT)")
        }
    }

    /// `127.0.0.1:5060` or `[::1]:5060`.
    public var description: String {
        switch family {
        case .ipv4: return "\(host):\(port)"
        case .ipv6: return "[\(host)]:\(port)"
        }
    }

    /// The canonical IPv4 (`AF_INET`) or IPv6 (`AF_INET6`) text of `text`, nil if it is none.
    static func canonicalAddress(_ text: String, family: Int32) -> String? {
        canonical(Substring(text), family: family)
    }

    /// The address in the form `inet_ntop` prints, or `nil` if `text` is not one.
    private static func canonical(_ text: Substring, family: Int32) -> String? {
        var storage = in6_addr()
        let parsed = withUnsafeMutableBytes(of: &storage) { buffer in
            inet_pton(family, String(text), buffer.baseAddress)
        }
        guard parsed == 1 else { return nil }
        var output = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let printed = withUnsafeBytes(of: &storage) { buffer in
            inet_ntop(family, buffer.baseAddress, &output, socklen_t(output.count))
        }
        guard printed != nil else { return nil }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
