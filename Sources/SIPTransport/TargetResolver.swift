import Dispatch
import SIPCore

/// RFC 3263 target selection: from a SIP or SIPS URI to the ordered list of
/// transports and addresses to try.
///
/// - Transport: the `transport` parameter; `sips:` means TLS; otherwise UDP
///   (RFC 3263 4.1, the outcome when no NAPTR/SRV records exist).
/// - Host: `maddr` when present, else the URI host (RFC 3263 4).
/// - Address: a numeric host as is; a name from the static host map, else
///   the full RFC 3263 procedure (NAPTR, SRV, A/AAAA) against `nameserver`
///   when one is set, its answers kept in `cache` for their TTLs, else from
///   A/AAAA lookups when `resolverEnabled`.
/// - Port: the URI's port, else a port given in the host map, else the
///   transport's default (RFC 3263 4.2).
///
/// `targets(for:)` blocks while it asks the network; the message path uses
/// `cachedTargets(for:)` and `resolve(_:deliveringOn:_:)`, which never block.
public struct TargetResolver: Sendable {
    /// Names (compared case-insensitively) mapped to addresses; a port of 0 means "the URI's or the default".
    public var hosts: [String: [SocketAddress]]
    /// Whether names missing from `hosts` are looked up with getaddrinfo.
    public var resolverEnabled: Bool
    /// When set, names missing from `hosts` go through `ServerLocator` with a
    /// `DNSClient` asking this server (instead of getaddrinfo).
    public var nameserver: SocketAddress?
    /// The nameserver's answers; shared by every copy of this resolver.
    public let cache: DNSCache
    /// The nameserver client's timeout per attempt and attempts.
    public var timeoutMilliseconds: Int32 = 2_000
    public var attempts = 2

    /// Lookups that must ask the network run on these queues, chosen by host
    /// name: a name asked again while its first lookup runs waits for it and
    /// then comes from the cache, and a slow nameserver holds up a quarter
    /// of the lookups at most.
    private static let lanes = (0..<4).map { DispatchQueue(label: "switchboard.transport.resolver.\($0)") }

    public init(
        hosts: [String: [SocketAddress]] = [:], resolverEnabled: Bool = false, nameserver: SocketAddress? = nil,
        cache: DNSCache = DNSCache()
    ) {
        self.hosts = Dictionary(hosts.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, b in a + b })
        self.resolverEnabled = resolverEnabled
        self.nameserver = nameserver
        self.cache = cache
    }

    /// What a URI needs: nothing more, the RFC 3263 procedure, or getaddrinfo.
    private enum Plan {
        case ready([OutboundTarget])
        case locate(host: String, port: UInt16?, transport: TransportProtocol?, secure: Bool)
        case system(host: String, transport: TransportProtocol, port: UInt16?, serverName: String?)
    }

    /// The targets for a request to `uri`, to be tried in order. Blocks while
    /// the nameserver is asked (at most `attempts × timeoutMilliseconds` per
    /// question): call it off the message path.
    public func targets(for uri: SIPURI) throws(ResolutionError) -> [OutboundTarget] {
        switch try plan(uri) {
        case .ready(let targets):
            return targets
        case .locate(let host, let port, let transport, let secure):
            let client = DNSClient(nameserver: nameserver!, timeoutMilliseconds: timeoutMilliseconds, attempts: attempts)
            let cache = cache
            return try ServerLocator.targets(host: host, port: port, transport: transport, secure: secure) { name, type throws(DNSError) in
                if let cached = cache.answer(name, type) { return try cached.get() }
                return try cache.store(try client.response(name, type: type), for: name, type: type).get()
            }
        case .system(let host, let transport, let port, let serverName):
            let addresses = try Syscall.addresses(of: host).get()
            guard !addresses.isEmpty else { throw ResolutionError(reason: "no addresses for \(host)") }
            return Self.targets(addresses, transport: transport, port: port, serverName: serverName)
        }
    }

    /// The targets when they are known without asking the network (a numeric
    /// host, the host map, every answer the procedure needs in the cache);
    /// nil when a lookup must run.
    public func cachedTargets(for uri: SIPURI) -> Result<[OutboundTarget], ResolutionError>? {
        let plan: Plan
        do {
            plan = try self.plan(uri)
        } catch {
            return .failure(error)
        }
        switch plan {
        case .ready(let targets):
            return .success(targets)
        case .locate(let host, let port, let transport, let secure):
            var missed = false
            let cache = cache
            let result = Result { () throws(ResolutionError) -> [OutboundTarget] in
                try ServerLocator.targets(host: host, port: port, transport: transport, secure: secure) { name, type throws(DNSError) in
                    guard let cached = cache.peek(name, type) else {
                        missed = true
                        throw .timeout
                    }
                    return try cached.get()
                }
            }
            return missed ? nil : result
        case .system:
            return nil
        }
    }

    /// Resolves `uri` without blocking the caller: from the cache when it
    /// can, else on a resolver queue. `completion` always runs later, on `queue`.
    public func resolve(
        _ uri: SIPURI, deliveringOn queue: DispatchQueue,
        _ completion: @escaping @Sendable (Result<[OutboundTarget], ResolutionError>) -> Void
    ) {
        if let known = cachedTargets(for: uri) {
            queue.async { completion(known) }
            return
        }
        let hash = uri.host.lowercased().utf8.reduce(UInt32(0)) { $0 &* 31 &+ UInt32($1) }
        let lane = Self.lanes[Int(hash % UInt32(Self.lanes.count))]
        lane.async {
            let result = Result { () throws(ResolutionError) -> [OutboundTarget] in try targets(for: uri) }
            queue.async { completion(result) }
        }
    }

    private func plan(_ uri: SIPURI) throws(ResolutionError) -> Plan {
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
        if numericKind != nil, let a = SocketAddress(ip: host, port: 0) {
            return .ready(Self.targets([a], transport: transport, port: uri.port, serverName: serverName))
        } else if let mapped = hosts[host.lowercased()], !mapped.isEmpty {
            return .ready(Self.targets(mapped, transport: transport, port: uri.port, serverName: serverName))
        } else if nameserver != nil {
            return .locate(host: host, port: uri.port, transport: uri.transport == nil ? nil : transport, secure: uri.scheme == .sips)
        } else if resolverEnabled {
            return .system(host: host, transport: transport, port: uri.port, serverName: serverName)
        } else {
            throw ResolutionError(reason: "\(host) is not in the host map and DNS is not enabled")
        }
    }

    private static func targets(_ addresses: [SocketAddress], transport: TransportProtocol, port: UInt16?, serverName: String?) -> [OutboundTarget] {
        addresses.map { a in
            let port = port ?? (a.port != 0 ? a.port : transport.defaultPort)
            return OutboundTarget(transport: transport, address: a.with(port: port), serverName: serverName)
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
