import Media

/// The B2BUA's media relay (the `[media]` section): the port pool shared by
/// every shard, the addresses the relay binds and writes into SDP, and the
/// per-session parameters (media timeout). nil in `B2BUA.Settings` leaves
/// SDP bodies as they are.
public struct MediaSettings: Sendable {
    /// Shared by all shards, so that they never hand out the same pair.
    public var portPool: RelayPortPool
    /// The relay's IPv4 address; nil uses the B2BUA's local SIP address toward the peer.
    public var relayIPv4: String?
    /// The relay's IPv6 address; nil uses the B2BUA's local SIP address toward the peer.
    public var relayIPv6: String?
    /// Media timeout and latching.
    public var session: MediaSessionConfiguration
    /// Forwards plain RTP in the kernel for every shard's relay; nil relays all of it in user space.
    public var kernelForwarder: KernelForwarder?

    public init(
        portPool: RelayPortPool, relayIPv4: String? = nil, relayIPv6: String? = nil, session: MediaSessionConfiguration = .init(),
        kernelForwarder: KernelForwarder? = nil
    ) {
        self.portPool = portPool
        self.relayIPv4 = relayIPv4
        self.relayIPv6 = relayIPv6
        self.session = session
        self.kernelForwarder = kernelForwarder
    }

    /// Settings with a new pool over `portRange`; a call with no RTP for `mediaTimeout` is ended.
    public init(
        portRange: ClosedRange<UInt16>, relayIPv4: String? = nil, relayIPv6: String? = nil, mediaTimeout: Duration = .seconds(60),
        kernelForwarder: KernelForwarder? = nil
    ) {
        self.init(
            portPool: RelayPortPool(range: portRange), relayIPv4: relayIPv4, relayIPv6: relayIPv6,
            session: MediaSessionConfiguration(mediaTimeout: mediaTimeout), kernelForwarder: kernelForwarder)
    }

    /// The relay address written into SDP for a peer reached from `local` (the SIP address toward it).
    func relayAddress(local: String) -> String {
        local.contains(":") ? (relayIPv6 ?? local) : (relayIPv4 ?? local)
    }
}
