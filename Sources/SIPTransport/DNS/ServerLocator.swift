/// RFC 3263 section 4: from a SIP URI's host, port and transport to the
/// ordered targets to try, using NAPTR, SRV and A/AAAA records. A pure
/// function of its `lookup` closure, so the procedure is testable without
/// a network; `DNSClient.lookup` is the closure in production.
///
/// - Explicit port: A/AAAA only, with the given or default transport (4.1, 4.2).
/// - Transport parameter, no port: that transport's SRV, else A/AAAA on its default port.
/// - Neither: NAPTR for SIP+D2U, SIP+D2T and SIPS+D2T (only SIPS+D2T for a
///   sips URI) by order then preference, each followed by its SRV; without
///   usable NAPTR records, SRV for `_sip._udp`, `_sip._tcp` and `_sips._tcp`;
///   without SRV records, A/AAAA with UDP (TLS for sips) on the default port.
///
/// SRV records go by priority, then weight descending, then target name: a
/// deterministic stand-in for RFC 2782's weighted random choice. Addresses
/// come from the additional section when it has them, A before AAAA.
/// A timeout or socket error ends the procedure (the nameserver is
/// unreachable); NXDOMAIN, SERVFAIL and unreadable answers count as "no
/// records" and are reported only when no target is found.
public enum ServerLocator {
    public typealias Lookup = (String, DNSRecordType) throws(DNSError) -> [DNSResourceRecord]

    /// The targets for `host` (a name, or a numeric address used as is).
    /// `transport` is the URI's transport parameter already mapped (sips
    /// with tcp is TLS); `secure` is true for a sips URI.
    public static func targets(host: String, port: UInt16?, transport: TransportProtocol?, secure: Bool,
                               lookup: Lookup) throws(ResolutionError) -> [OutboundTarget] {
        var search = Search(domain: host)
        let result: [OutboundTarget]
        do {
            result = try search.run(port: port, transport: transport, secure: secure, lookup: lookup)
        } catch {
            throw ResolutionError(reason: "DNS lookup for \(host) failed: \(error)")
        }
        guard !result.isEmpty else {
            let cause = search.firstError.map { ": \($0)" } ?? ""
            throw ResolutionError(reason: "no DNS records for \(host)\(cause)")
        }
        var seen = Set<OutboundTarget>()
        return result.filter { seen.insert($0).inserted }
    }

    /// The RFC 3263 4.1 service field for a transport, and back.
    static func naptrService(_ transport: TransportProtocol) -> String {
        switch transport {
        case .udp: return "SIP+D2U"
        case .tcp: return "SIP+D2T"
        case .tls: return "SIPS+D2T"
        }
    }

    /// The SRV owner name for a transport (RFC 3263 4.1).
    static func srvName(_ transport: TransportProtocol, domain: String) -> String {
        switch transport {
        case .udp: return "_sip._udp.\(domain)"
        case .tcp: return "_sip._tcp.\(domain)"
        case .tls: return "_sips._tcp.\(domain)"
        }
    }

    /// SRV records ordered by priority, weight descending, then target.
    static func ordered(_ records: [(priority: UInt16, weight: UInt16, port: UInt16, target: String)])
        -> [(priority: UInt16, weight: UInt16, port: UInt16, target: String)] {
        records.sorted {
            if $0.priority != $1.priority { return $0.priority < $1.priority }
            if $0.weight != $1.weight { return $0.weight > $1.weight }
            return $0.target.lowercased() < $1.target.lowercased()
        }
    }
}

/// The state of one run of the procedure: records seen so far (so that
/// additional-section addresses save queries) and the first soft failure.
private struct Search {
    let domain: String
    var known: [DNSResourceRecord] = []
    var firstError: DNSError?

    init(domain: String) { self.domain = domain }

    mutating func run(port: UInt16?, transport: TransportProtocol?, secure: Bool,
                      lookup: ServerLocator.Lookup) throws(DNSError) -> [OutboundTarget] {
        if let numeric = SocketAddress(ip: domain, port: 0) {
            let t = transport ?? (secure ? .tls : .udp)
            return [target(t, numeric, port: port ?? t.defaultPort)]
        }
        if let port {
            let t = transport ?? (secure ? .tls : .udp)
            return try addresses(of: domain, lookup: lookup).map { target(t, $0, port: port) }
        }
        if let transport {
            if let viaSRV = try srvTargets(ServerLocator.srvName(transport, domain: domain), transport, lookup: lookup) {
                return viaSRV
            }
            return try addresses(of: domain, lookup: lookup).map { target(transport, $0, port: transport.defaultPort) }
        }
        let viaNAPTR = try naptrTargets(secure: secure, lookup: lookup)
        if !viaNAPTR.isEmpty { return viaNAPTR }
        let transports: [TransportProtocol] = secure ? [.tls] : [.udp, .tcp, .tls]
        var anySRV = false
        var viaSRV: [OutboundTarget] = []
        for t in transports {
            if let found = try srvTargets(ServerLocator.srvName(t, domain: domain), t, lookup: lookup) {
                anySRV = true
                viaSRV += found
            }
        }
        if anySRV { return viaSRV }
        let t: TransportProtocol = secure ? .tls : .udp
        return try addresses(of: domain, lookup: lookup).map { target(t, $0, port: t.defaultPort) }
    }

    /// RFC 3263 4.1: usable NAPTR records ("s" flag, a supported service,
    /// a replacement), by order then preference, each through its SRV.
    mutating func naptrTargets(secure: Bool, lookup: ServerLocator.Lookup) throws(DNSError) -> [OutboundTarget] {
        let allowed: [TransportProtocol] = secure ? [.tls] : [.udp, .tcp, .tls]
        var usable: [(order: UInt16, preference: UInt16, transport: TransportProtocol, replacement: String)] = []
        for record in try records(domain, .naptr, lookup: lookup) {
            guard case .naptr(let order, let preference, let flags, let services, _, let replacement) = record.data,
                  DNSClient.sameName(record.name, domain), flags.lowercased() == "s", !replacement.isEmpty,
                  let t = allowed.first(where: { ServerLocator.naptrService($0).lowercased() == services.lowercased() })
            else { continue }
            usable.append((order, preference, t, replacement))
        }
        usable.sort { ($0.order, $0.preference) < ($1.order, $1.preference) }
        var result: [OutboundTarget] = []
        for entry in usable {
            result += try srvTargets(entry.replacement, entry.transport, lookup: lookup) ?? []
        }
        return result
    }

    /// The targets of the SRV records at `name`, or nil when there are none
    /// (the caller falls back). A lone "." target means "no service here"
    /// (RFC 2782) and gives an empty array, not nil.
    mutating func srvTargets(_ name: String, _ transport: TransportProtocol, lookup: ServerLocator.Lookup) throws(DNSError) -> [OutboundTarget]? {
        var found: [(priority: UInt16, weight: UInt16, port: UInt16, target: String)] = []
        for record in try records(name, .srv, lookup: lookup) {
            guard DNSClient.sameName(record.name, name), case .srv(let priority, let weight, let port, let host) = record.data else { continue }
            found.append((priority, weight, port, host))
        }
        guard !found.isEmpty else { return nil }
        var result: [OutboundTarget] = []
        for entry in ServerLocator.ordered(found) where !entry.target.isEmpty {
            result += try addresses(of: entry.target, lookup: lookup).map { target(transport, $0, port: entry.port) }
        }
        return result
    }

    /// A and AAAA addresses of `name`, following CNAMEs; from records
    /// already seen when they cover the name, else by asking.
    mutating func addresses(of name: String, lookup: ServerLocator.Lookup) throws(DNSError) -> [SocketAddress] {
        let cached = addressesKnown(for: name)
        if !cached.isEmpty { return cached }
        _ = try records(name, .a, lookup: lookup)
        _ = try records(name, .aaaa, lookup: lookup)
        return addressesKnown(for: name)
    }

    private func addressesKnown(for name: String) -> [SocketAddress] {
        var names = [name]
        var current = name
        for _ in 0..<8 {
            guard let next = known.lazy.compactMap({ record -> String? in
                guard DNSClient.sameName(record.name, current), case .cname(let target) = record.data else { return nil }
                return target
            }).first, !names.contains(where: { DNSClient.sameName($0, next) }) else { break }
            names.append(next)
            current = next
        }
        var v4: [SocketAddress] = []
        var v6: [SocketAddress] = []
        for record in known where names.contains(where: { DNSClient.sameName($0, record.name) }) {
            switch record.data {
            case .a(let address): if !v4.contains(address) { v4.append(address) }
            case .aaaa(let address): if !v6.contains(address) { v6.append(address) }
            default: continue
            }
        }
        return v4 + v6
    }

    /// One lookup: its records join `known`; soft failures become "none".
    mutating func records(_ name: String, _ type: DNSRecordType, lookup: ServerLocator.Lookup) throws(DNSError) -> [DNSResourceRecord] {
        do {
            let found = try lookup(name, type)
            known += found
            return found
        } catch {
            switch error {
            case .timeout, .io: throw error
            default:
                if firstError == nil { firstError = error }
                return []
            }
        }
    }

    func target(_ transport: TransportProtocol, _ address: SocketAddress, port: UInt16) -> OutboundTarget {
        OutboundTarget(transport: transport, address: address.with(port: port),
                       serverName: transport == .tls ? domain.lowercased() : nil)
    }
}
