/// Puts fragmented IPv4 and IPv6 datagrams back together (RFC 791 section 3.2, RFC 8200 section 4.5).
///
/// SIP over UDP with a large SDP or many headers is routinely fragmented, so
/// the datagram only becomes a SIP message once every fragment is in. Where
/// fragments overlap, the bytes that arrived first are kept. Incomplete
/// datagrams are bounded in number; the oldest is dropped first.
struct IPFragmentReassembler {
    struct Key: Hashable {
        var source: IPAddress
        var destination: IPAddress
        /// IPv4: the Protocol field; IPv6: zero (the identification is per address pair).
        var protocolNumber: UInt8
        var identification: UInt32
    }

    private struct Pending {
        var pieces: [(offset: Int, bytes: ArraySlice<UInt8>)] = []
        var totalLength: Int?
        var nextProtocol: UInt8
    }

    static let maximumDatagramLength = 65_535
    let maximumPending: Int
    private var pending: [Key: Pending] = [:]
    private var arrivalOrder: [Key] = []

    init(maximumPending: Int = 1024) {
        self.maximumPending = maximumPending
    }

    /// Adds one fragment; returns the whole datagram (as an unfragmented packet) once complete.
    mutating func add(_ packet: IPPacket, isIPv6: Bool) throws(CaptureError) -> IPPacket? {
        guard let fragment = packet.fragment else {
            return packet
        }
        let end = fragment.offset + packet.payload.count
        guard end <= Self.maximumDatagramLength else {
            throw .malformedPacket("IP fragment ends at byte \(end), beyond the largest datagram")
        }
        if fragment.moreFragments, packet.payload.count % 8 != 0 {
            throw .malformedPacket("IP fragment of \(packet.payload.count) bytes is not a multiple of 8")
        }
        let key = Key(
            source: packet.source,
            destination: packet.destination,
            protocolNumber: isIPv6 ? 0 : packet.nextProtocol,
            identification: fragment.identification
        )
        if pending[key] == nil {
            if arrivalOrder.count >= maximumPending {
                pending[arrivalOrder.removeFirst()] = nil
            }
            pending[key] = Pending(nextProtocol: packet.nextProtocol)
            arrivalOrder.append(key)
        }
        pending[key]!.pieces.append((fragment.offset, packet.payload))
        if fragment.offset == 0 {
            pending[key]!.nextProtocol = packet.nextProtocol
        }
        if !fragment.moreFragments {
            pending[key]!.totalLength = end
        }
        guard let whole = Self.assemble(pending[key]!) else {
            return nil
        }
        pending[key] = nil
        arrivalOrder.removeAll { $0 == key }
        return IPPacket(
            source: packet.source,
            destination: packet.destination,
            nextProtocol: whole.nextProtocol,
            payload: whole.bytes[...],
            fragment: nil
        )
    }

    /// The datagram's bytes if the pieces cover 0..<totalLength without a hole.
    private static func assemble(_ datagram: Pending) -> (bytes: [UInt8], nextProtocol: UInt8)? {
        guard let totalLength = datagram.totalLength else {
            return nil
        }
        let sorted = datagram.pieces.enumerated().sorted {
            ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset)
        }
        var covered = 0
        for piece in sorted.map(\.element) {
            if piece.offset > covered {
                return nil
            }
            covered = max(covered, piece.offset + piece.bytes.count)
        }
        guard covered >= totalLength else {
            return nil
        }
        var bytes = [UInt8](repeating: 0, count: totalLength)
        var written = [Bool](repeating: false, count: totalLength)
        // Arrival order: the first copy of any byte wins.
        for piece in datagram.pieces {
            for (index, byte) in piece.bytes.enumerated() {
                let position = piece.offset + index
                if position < totalLength, !written[position] {
                    bytes[position] = byte
                    written[position] = true
                }
            }
        }
        return (bytes, datagram.nextProtocol)
    }
}
