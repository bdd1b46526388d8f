/// One direction of a plain RTP stream forwarded in the kernel: packets that arrive at the relay's
/// inbound RTP socket (`local`) from the latched peer (`source`) leave as if the relay had sent them
/// from its outbound RTP socket (`outbound`) to the other peer (`destination`). IPv4 only.
///
/// The forwarding program's hash map holds it as a 12-byte key and a 56-byte value; addresses and
/// ports are in network order, as on the wire, so the program copies them without swapping.
struct KernelForwardingRule: Hashable, Sendable {
    /// The relay's inbound RTP socket: the packets' destination.
    var local: RelayEndpoint
    /// The latched peer: the packets' source.
    var source: RelayEndpoint
    /// The relay's outbound RTP socket: the new source.
    var outbound: RelayEndpoint
    /// The other peer: the new destination.
    var destination: RelayEndpoint
    /// The destination is an address of this host: the stack delivers the rewritten packet.
    var deliverLocally: Bool
    /// The interface the kernel's route to the destination leaves by (0: unknown). When the FIB
    /// helper cannot answer (forwarding disabled on the interface, no neighbour yet), the program
    /// sends the packet out of it with bpf_redirect_neigh.
    var egressInterface: UInt32

    /// A rule for IPv4 endpoints with specific addresses; nil otherwise (those stay in user space).
    init?(
        local: RelayEndpoint, source: RelayEndpoint, outbound: RelayEndpoint, destination: RelayEndpoint, deliverLocally: Bool,
        egressInterface: UInt32 = 0
    ) {
        let all = [local, source, outbound, destination]
        guard all.allSatisfy({ $0.ipv4 != nil && !$0.isUnspecified && $0.port != 0 }) else { return nil }
        self.local = local
        self.source = source
        self.outbound = outbound
        self.destination = destination
        self.deliverLocally = deliverLocally
        self.egressInterface = egressInterface
    }

    /// The map key: destination address, source address, destination port, source port.
    var key: Key {
        Key(destinationAddress: local.ipv4!, sourceAddress: source.ipv4!, destinationPort: local.port, sourcePort: source.port)
    }

    /// The map value as first installed: the rewrite, counters at zero.
    var value: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Layout.valueSize)
        bytes.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: outbound.ipv4!, toByteOffset: Layout.newSourceAddress, as: UInt32.self)
            raw.storeBytes(of: destination.ipv4!, toByteOffset: Layout.newDestinationAddress, as: UInt32.self)
            raw.storeBytes(of: outbound.port.bigEndian, toByteOffset: Layout.newSourcePort, as: UInt16.self)
            raw.storeBytes(of: destination.port.bigEndian, toByteOffset: Layout.newDestinationPort, as: UInt16.self)
            raw.storeBytes(of: deliverLocally ? Layout.flagDeliverLocally : 0, toByteOffset: Layout.flags, as: UInt32.self)
            raw.storeBytes(of: egressInterface, toByteOffset: Layout.egressInterface, as: UInt32.self)
        }
        return bytes
    }

    /// The key as the map stores it (12 bytes).
    struct Key: Hashable, Sendable {
        /// Addresses as their 4 network-order bytes read into a machine word; ports in host order.
        var destinationAddress: UInt32
        var sourceAddress: UInt32
        var destinationPort: UInt16
        var sourcePort: UInt16

        var bytes: [UInt8] {
            var bytes = [UInt8](repeating: 0, count: Layout.keySize)
            bytes.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: destinationAddress, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: sourceAddress, toByteOffset: 4, as: UInt32.self)
                raw.storeBytes(of: destinationPort.bigEndian, toByteOffset: 8, as: UInt16.self)
                raw.storeBytes(of: sourcePort.bigEndian, toByteOffset: 10, as: UInt16.self)
            }
            return bytes
        }
    }

    /// Byte offsets in the key and value, shared by the program and user space.
    enum Layout {
        static let keySize = 12
        static let keyDestinationAddress = 0
        static let keySourceAddress = 4
        static let keyDestinationPort = 8
        static let keySourcePort = 10

        static let valueSize = 56
        static let newSourceAddress = 0
        static let newDestinationAddress = 4
        static let newSourcePort = 8
        static let newDestinationPort = 10
        static let flags = 12
        static let packets = 16
        static let bytes = 24
        static let lastPacketBootNanoseconds = 32
        static let lastSSRC = 40
        static let lastSequence = 44
        static let egressInterface = 48

        static let flagDeliverLocally: UInt32 = 1
    }
}

/// What the kernel counted for one rule since it was installed.
struct KernelFlowCounters: Hashable, Sendable {
    var packets: UInt64
    /// UDP payload bytes (RTP header and payload), as the userspace relay counts them.
    var bytes: UInt64
    /// CLOCK_BOOTTIME of the last packet forwarded, 0 when none was.
    var lastPacketBootNanoseconds: UInt64
    /// The last forwarded packet's SSRC and sequence number (RFC 3550 5.1), for latching.
    var lastSSRC: UInt32
    var lastSequence: UInt16

    init(value raw: UnsafeRawBufferPointer) {
        typealias L = KernelForwardingRule.Layout
        packets = raw.loadUnaligned(fromByteOffset: L.packets, as: UInt64.self)
        bytes = raw.loadUnaligned(fromByteOffset: L.bytes, as: UInt64.self)
        lastPacketBootNanoseconds = raw.loadUnaligned(fromByteOffset: L.lastPacketBootNanoseconds, as: UInt64.self)
        lastSSRC = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: L.lastSSRC, as: UInt32.self))
        lastSequence = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: L.lastSequence, as: UInt16.self))
    }

    init(packets: UInt64 = 0, bytes: UInt64 = 0, lastPacketBootNanoseconds: UInt64 = 0, lastSSRC: UInt32 = 0, lastSequence: UInt16 = 0) {
        self.packets = packets
        self.bytes = bytes
        self.lastPacketBootNanoseconds = lastPacketBootNanoseconds
        self.lastSSRC = lastSSRC
        self.lastSequence = lastSequence
    }
}
