/// What a captured packet carries at the transport layer.
public enum DecodedPacket: Hashable, Sendable {
    case udp(Datagram)
    case tcp(Segment)
}
