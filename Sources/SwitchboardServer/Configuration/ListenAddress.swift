/// An address to receive SIP on: `udp://127.0.0.1:5060`, `tcp://[::1]`, `tls://0.0.0.0:5061`.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// The SIP transport of a listener.
    public enum Transport: String, CaseIterable, Hashable, Sendable {
        case udp
        case tcp
        case tls

        /// RFC 3261 19.1.2: 5060 for UDP and TCP, 5061 for TLS.
        public var defaultPort: UInt16 { self == .tls ? 5061 : 5060 }

        /// TCP and TLS both take a TCP port.
        public var isStream: Bool { self != .udp }
    }

    public var transport: Transport
    public var endpoint: IPEndpoint

    public init(transport: Transport, endpoint: IPEndpoint) {
        self.transport = transport
        self.endpoint = endpoint
    }

    public var host: String { endpoint.host }
    public var port: UInt16 { endpoint.port }

    /// Parses `TRANSPORT://HOST[:PORT]`.
    public init(parsing text: String) throws(ConfigurationError.Problem) {
        guard let separator = text.range(of: "://") else {
            throw .invalid("missing transport in \"\(text)\" (expected udp://, tcp:// or tls://)")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard let transport = Transport(rawValue: scheme) else {
            throw .notOneOf(
                what: "transport", value: String(text[..<separator.lowerBound]),
                expected: Transport.allCases.map(\.rawValue))
        }
        let rest = text[separator.upperBound...]
        self.transport = transport
        self.endpoint = try IPEndpoint(parsing: rest, defaultPort: transport.defaultPort)
    }

    public var description: String { "\(transport.rawValue)://\(endpoint)" }

    /// Parses a list of listen addresses, reporting malformed entries, exact
    /// duplicates and TCP and TLS listeners on one TCP port.
    static func parseList(
        _ entries: [(value: String, path: ConfigurationKeyPath)],
        report: (ConfigurationError.Problem, ConfigurationKeyPath) -> Void
    ) -> [ListenAddress] {
        var addresses: [ListenAddress] = []
        var firstPath: [ListenAddress: ConfigurationKeyPath] = [:]
        var streamPorts: [IPEndpoint: (ListenAddress, ConfigurationKeyPath)] = [:]
        for (text, path) in entries {
            let address: ListenAddress
            do {
                address = try ListenAddress(parsing: text)
            } catch {
                report(error, path)
                continue
            }
            if let first = firstPath[address] {
                report(.duplicate("listen address \(address)", of: first.description), path)
                continue
            }
            firstPath[address] = path
            if address.transport.isStream {
                if let (other, otherPath) = streamPorts[address.endpoint] {
                    report(
                        .invalid("\(address) and \(other) (\(otherPath)) cannot share one TCP port"), path)
                    continue
                }
                streamPorts[address.endpoint] = (address, path)
            }
            addresses.append(address)
        }
        return addresses
    }
}
