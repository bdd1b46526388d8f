import SIPCore

/// RFC 3263 target selection for the part of it that needs no NAPTR or SRV
/// records: from a SIP or SIPS URI to the ordered list of transports and
/// addresses to try.
///
/// - Transport: the `transport` parameter; `sips:` means TLS; otherwise UDP
///   (RFC 3263 4.1, the outcome when no NAPTR/SRV records exist).
/// - Host: `maddr` when present, else the URI host (RFC 3263 4).
/// - Address: a numeric host as is; a name from the static host map, else
///   the full RFC 3263 procedure (NAPTR, SRV, A/AAAA) against `nameserver`
///   when one is set, else from A/AAAA lookups when `resolverEnabled`
///   (both block: call them off the message path).
/// - Port: the URI's port, else a port given in the host map, else the
///   transport's default (RFC 3263 4.2).
public struct TargetResolver: Sendable {
    /// Names (compared case-insensitively) mapped to addresses; a port of 0 means "the URI's or the default".
    public var hosts: [String: [SocketAddress]]
    /// Whether names missing from `hosts` are looked up with getaddrinfo.
    public var resolverEnabled: Bool
    /// When set, names missing from `hosts` go through `ServerLocator` with a
    /// `DNSClient` asking this server (instead of getaddrinfo).
    public var nameserver: SocketAddress?

    public init(hosts: [String: [SocketAddress]] = [:], resolverEnabled: Bool = false, nameserver: SocketAddress? = nil) {
        self.hosts = Dictionary(hosts.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, b in a + b })
        self.resolverEnabled = resolverEnabled
        self.nameserver = nameserver
    }

    /// The targets for a request to `uri`, to be tried in order.
    public func targets(for uri: SIPURI) throws(ResolutionError) -> [OutboundTarget] {
        guard uri.scheme == .sip || uri.scheme == .sips else {
            throw ResolutionError(reason: "cannot route to a \(uri.schemeName): URI")
        }
        let transport = try Self.transport(for: uri)
        let host: String
        let numericKind: SIPURI.HostKind?
        if let maddr = uri.maddr, !maddr.isEmpty {
            var h = Substring(maddr)
            if h.first == "[", h.last == "]" { h = h.dropFirst().dropLast() }
            host = String(h)
            numericKind = SocketAddress(ip: host, port: 0) != nil ? .ipv4 : nil
        } else {
            host = uri.host
            numericKind = uri.hostKind == .ipv4 || uri.hostKind == .ipv6 ? uri.hostKind : nil
        }
        let serverName = transport == .tls && numericKind == nil ? host.lowercased() : (transport == .tls ? host : nil)
        let addresses: [SocketAddress]
        if numericKind != nil, let a = SocketAddress(ip: host, port: 0) {
            addresses = [a]
        } else if let mapped = hosts[host.lowercased()], !mapped.isEmpty {
            addresses = mapped
        } else if let nameserver {
            let client = DNSClient(nameserver: nameserver)
            return try ServerLocator.targets(host: host, port: uri.port, transport: uri.transport == nil ? nil : transport,
                                             secure: uri.scheme == .sips, lookup: client.lookup)
        } else if resolverEnabled {
            addresses = try Syscall.addresses(of: host).get()
            guard !addresses.isEmpty else { throw ResolutionError(reason: "no addresses for \(host)") }
        } else {
            throw ResolutionError(reason: "\(host) is not in the host map and DNS is not enabled")
        }
        return addresses.map { a in
            let port = uri.port ?? (a.port != 0 ? a.port : transport.defaultPort)
            return OutboundTarget(transport: transport, address: SocketAddress(addressBytes: a.addressBytes, port: port), serverName: serverName)
        }
    }

    /// RFC 3263 4.1 with the URI's own transport, or its default.
    static func transport(for uri: SIPURI) throws(ResolutionError) -> TransportProtocol {
        if let token = uri.transport {
            guard let t = TransportProtocol(token: token) else { throw ResolutionError(reason: "unsupported transport \(token)") }
            if uri.scheme == .sips {
                // RFC 3261 26.2.2: sips over TCP means TLS; sips over UDP cannot be.
                guard t != .udp else { throw ResolutionError(reason: "sips: URI with transport=udp") }
                return .tls
            }
            return t
        }
        return uri.scheme == .sips ? .tls : .udp
    }
}

/// Why no target could be found for a URI; a proxy answers such a request with 404 or 503.
public struct ResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
