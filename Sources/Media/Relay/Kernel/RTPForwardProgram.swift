/// The TC ingress program that forwards plain RTP in the kernel.
///
/// Per packet: Ethernet / IPv4 without options, not a fragment / UDP / RTP version 2 that is not
/// RTCP (RFC 5761 4: packet types 192-223 stay in user space), no longer than the relay's
/// receive slot. Anything else, and any packet whose
/// (destination, source) has no rule, goes on untouched (`TC_ACT_UNSPEC`: the next program or the
/// stack decides, and the userspace relay receives it). IPv6 always goes on to user space.
///
/// On a rule: the rewrite is checked before anything is changed. A rule for a local destination,
/// or a FIB lookup saying the destination is not forwarded (a local address), rewrites the source
/// to the relay's outbound socket and the destination to the peer and passes the packet to the
/// stack, which delivers it. A FIB lookup that finds a route and a neighbour also sets the Ethernet
/// addresses and redirects the packet to the egress of the interface it names. When the FIB
/// helper will not answer (forwarding disabled on the interface: a relay host is seldom a router;
/// or no neighbour entry yet), the packet is rewritten and sent out of the interface user space
/// found the route through (`bpf_redirect_neigh`: the kernel's route and neighbour lookup); with
/// no such interface, and on any other answer, it is left unmodified for user space. The IPv4 and UDP checksums are updated incrementally (the addresses are in the
/// UDP pseudo-header; a zero UDP checksum stays zero; on loopback's CHECKSUM_PARTIAL packets the
/// helper updates only the pseudo-header sum). Forwarded packets are counted in the rule's value
/// with atomic adds, with the time and the RTP SSRC and sequence number of the last one.
enum RTPForwardProgram {
    /// Licence string for BPF_PROG_LOAD: bpf_fib_lookup is a GPL-only helper.
    static let license = "Dual MIT/GPL"

    /// Ethernet (14) + IPv4 (20) + UDP (8) + RTP fixed header (12).
    static let minimumLength: Int32 = 54
    static let ipOffset: Int16 = 14
    static let udpOffset: Int16 = 34
    static let rtpOffset: Int16 = 42

    /// The program's stack: the map key, the facts kept for counting, `struct bpf_fib_lookup`.
    private enum Stack {
        static let key: Int16 = -16
        static let payloadLength: Int16 = -24
        static let ssrc: Int16 = -32
        static let sequence: Int16 = -28
        static let fib: Int16 = -96
        static let fibSize: Int32 = 64
        // Fields of struct bpf_fib_lookup (include/uapi/linux/bpf.h).
        static let fibFamily: Int16 = fib + 0
        static let fibProtocol: Int16 = fib + 1
        static let fibSourcePort: Int16 = fib + 2
        static let fibDestinationPort: Int16 = fib + 4
        static let fibIfindex: Int16 = fib + 8
        static let fibSourceAddress: Int16 = fib + 16
        static let fibDestinationAddress: Int16 = fib + 32
        static let fibSourceMAC: Int16 = fib + 52
        static let fibDestinationMAC: Int16 = fib + 58
    }

    private typealias Rule = KernelForwardingRule.Layout

    /// The program for the rule map `mapDescriptor`; UDP payloads longer than `maximumPayload`
    /// (the relay's ``RelayShardConfiguration/maxDatagramSize``) stay in user space.
    static func instructions(mapDescriptor: Int32, maximumPayload: Int32) -> [BPFInstruction] {
        var a = BPFAssembler()
        let next = BPFLabel("next")
        let local = BPFLabel("deliver-locally")
        let routed = BPFLabel("routed")
        let neighbour = BPFLabel("redirect-by-neighbour")
        let ctx = BPFRegister.r6
        let rule = BPFRegister.r7
        let fp = BPFRegister.framePointer

        // r6 = the packet's __sk_buff; r2..r3 = its linear data.
        a.emit(.move(ctx, .r1))
        loadPacketPointers(&a, needing: minimumLength, else: next)

        // Ethernet type IPv4 (0x0800, read as a little-endian half word).
        a.emit(.load(.half, .r4, .r2, 12))
        a.jump(.notEqual, .r4, 0x0008, to: next)
        // IPv4 version 4 with a 20-byte header (no options).
        a.emit(.load(.byte, .r4, .r2, ipOffset))
        a.jump(.notEqual, .r4, 0x45, to: next)
        // Not a fragment: More Fragments and the fragment offset are zero (bytes 3F FF, read little-endian).
        a.emit(.load(.half, .r4, .r2, ipOffset + 6))
        a.emit(.alu(.and, .r4, 0xFF3F))
        a.jump(.notEqual, .r4, 0, to: next)
        // UDP.
        a.emit(.load(.byte, .r4, .r2, ipOffset + 9))
        a.jump(.notEqual, .r4, 17, to: next)
        // RTP version 2 (RFC 3550 5.1), and not RTCP: packet types 192-223 (RFC 5761 4) stay in user space.
        a.emit(.load(.byte, .r4, .r2, rtpOffset))
        a.emit(.alu(.and, .r4, 0xC0))
        a.jump(.notEqual, .r4, 0x80, to: next)
        a.emit(.load(.byte, .r4, .r2, rtpOffset + 1))
        a.emit(.alu(.subtract, .r4, 192))
        a.jump(.less, .r4, 32, to: next)

        // The key: destination address, source address, destination port, source port, as on the wire.
        a.emit(.load(.word, .r4, .r2, ipOffset + 16))
        a.emit(.store(.word, fp, Stack.key + Int16(Rule.keyDestinationAddress), .r4))
        a.emit(.load(.word, .r4, .r2, ipOffset + 12))
        a.emit(.store(.word, fp, Stack.key + Int16(Rule.keySourceAddress), .r4))
        a.emit(.load(.half, .r4, .r2, udpOffset + 2))
        a.emit(.store(.half, fp, Stack.key + Int16(Rule.keyDestinationPort), .r4))
        a.emit(.load(.half, .r4, .r2, udpOffset))
        a.emit(.store(.half, fp, Stack.key + Int16(Rule.keySourcePort), .r4))
        // Kept for counting: the UDP payload length (host order), the RTP SSRC and sequence number (wire order).
        a.emit(.load(.half, .r4, .r2, udpOffset + 4))
        a.emit(.toBigEndian(.r4, bits: 16))
        a.emit(.alu(.subtract, .r4, 8))
        // As user space: at least an RTP header, at most the relay's receive slot (longer ones it drops as truncated).
        a.jump(.less, .r4, 12, to: next)
        a.jump(.greater, .r4, maximumPayload, to: next)
        a.emit(.store(.doubleWord, fp, Stack.payloadLength, .r4))
        a.emit(.load(.word, .r4, .r2, rtpOffset + 8))
        a.emit(.store(.word, fp, Stack.ssrc, .r4))
        a.emit(.load(.half, .r4, .r2, rtpOffset + 2))
        a.emit(.store(.half, fp, Stack.sequence, .r4))

        // r7 = the rule for this flow; none: not ours.
        a.emit(BPFInstruction.loadMap(.r1, descriptor: mapDescriptor))
        a.emit(.move(.r2, fp))
        a.emit(.alu(.add, .r2, Int32(Stack.key)))
        a.emit(.call(.mapLookupElement))
        a.jump(.equal, .r0, 0, to: next)
        a.emit(.move(rule, .r0))

        // A destination on this host: rewrite and let the stack deliver it.
        a.emit(.load(.word, .r4, rule, Int16(Rule.flags)))
        a.emit(.alu(.and, .r4, Int32(Rule.flagDeliverLocally)))
        a.jump(.notEqual, .r4, 0, to: local)

        // Otherwise ask the FIB how the rewritten packet leaves, before changing anything.
        for offset in stride(from: Stack.fib, to: Stack.fib + Int16(Stack.fibSize), by: 8) {
            a.emit(.store(.doubleWord, fp, offset, 0))
        }
        a.emit(.store(.byte, fp, Stack.fibFamily, 2))  // AF_INET
        a.emit(.store(.byte, fp, Stack.fibProtocol, 17))
        a.emit(.load(.half, .r4, rule, Int16(Rule.newSourcePort)))
        a.emit(.store(.half, fp, Stack.fibSourcePort, .r4))
        a.emit(.load(.half, .r4, rule, Int16(Rule.newDestinationPort)))
        a.emit(.store(.half, fp, Stack.fibDestinationPort, .r4))
        a.emit(.load(.word, .r4, ctx, BPFConstant.skbIngressIfindex))
        a.emit(.store(.word, fp, Stack.fibIfindex, .r4))
        a.emit(.load(.word, .r4, rule, Int16(Rule.newSourceAddress)))
        a.emit(.store(.word, fp, Stack.fibSourceAddress, .r4))
        a.emit(.load(.word, .r4, rule, Int16(Rule.newDestinationAddress)))
        a.emit(.store(.word, fp, Stack.fibDestinationAddress, .r4))
        a.emit(.move(.r1, ctx))
        a.emit(.move(.r2, fp))
        a.emit(.alu(.add, .r2, Int32(Stack.fib)))
        a.emit(.move(.r3, Stack.fibSize))
        a.emit(.move(.r4, 0))
        a.emit(.call(.fibLookup))
        a.jump(.equal, .r0, BPFConstant.fibNotForwarded, to: local)
        a.jump(.equal, .r0, BPFConstant.fibSuccess, to: routed)
        a.jump(.equal, .r0, BPFConstant.fibForwardingDisabled, to: neighbour)
        a.jump(.equal, .r0, BPFConstant.fibNoNeighbour, to: neighbour)
        a.jump(to: next)

        // The FIB helper would not answer (a host that does not forward, or no neighbour entry
        // yet): the rule's interface, the kernel's own route and neighbour lookup.
        a.mark(neighbour)
        a.emit(.load(.word, .r4, rule, Int16(Rule.egressInterface)))
        a.jump(.equal, .r4, 0, to: next)
        rewrite(&a, ctx: ctx, rule: rule, else: next)
        count(&a, rule: rule)
        a.emit(.load(.word, .r1, rule, Int16(Rule.egressInterface)))
        a.emit(.move(.r2, 0))
        a.emit(.move(.r3, 0))
        a.emit(.move(.r4, 0))
        a.emit(.call(.redirectNeighbour))
        a.emit(.exit)

        // Routed: rewrite, set the Ethernet addresses the FIB gave, count, redirect to its interface.
        a.mark(routed)
        rewrite(&a, ctx: ctx, rule: rule, else: next)
        storeBytes(&a, ctx: ctx, at: 0, fromStack: Stack.fibDestinationMAC, count: 6)
        storeBytes(&a, ctx: ctx, at: 6, fromStack: Stack.fibSourceMAC, count: 6)
        count(&a, rule: rule)
        a.emit(.load(.word, .r1, fp, Stack.fibIfindex))
        a.emit(.move(.r2, 0))
        a.emit(.call(.redirect))
        a.emit(.exit)

        // Local: rewrite, count, pass to the stack.
        a.mark(local)
        rewrite(&a, ctx: ctx, rule: rule, else: next)
        count(&a, rule: rule)
        a.emit(.move(.r0, BPFConstant.tcPass))
        a.emit(.exit)

        a.mark(next)
        a.emit(.move(.r0, BPFConstant.tcNext))
        a.emit(.exit)
        return a.assembled()
    }

    /// r2 = data, r3 = data_end; jumps to `short` unless `length` bytes are there (the verifier
    /// allows packet access only behind such a check, and again after a helper call).
    private static func loadPacketPointers(_ a: inout BPFAssembler, needing length: Int32, else short: BPFLabel) {
        a.emit(.load(.word, .r2, .r6, BPFConstant.skbData))
        a.emit(.load(.word, .r3, .r6, BPFConstant.skbDataEnd))
        a.emit(.move(.r4, .r2))
        a.emit(.alu(.add, .r4, length))
        a.jump(.greater, .r4, .r3, to: short)
    }

    /// Writes the rule's addresses and ports into the packet, then fixes the IPv4 header checksum
    /// and the UDP checksum for each change (the old values are in the key on the stack).
    private static func rewrite(_ a: inout BPFAssembler, ctx: BPFRegister, rule: BPFRegister, else short: BPFLabel) {
        let fp = BPFRegister.framePointer
        loadPacketPointers(&a, needing: Int32(rtpOffset), else: short)
        a.emit(.load(.word, .r4, rule, Int16(Rule.newSourceAddress)))
        a.emit(.store(.word, .r2, ipOffset + 12, .r4))
        a.emit(.load(.word, .r4, rule, Int16(Rule.newDestinationAddress)))
        a.emit(.store(.word, .r2, ipOffset + 16, .r4))
        a.emit(.load(.half, .r4, rule, Int16(Rule.newSourcePort)))
        a.emit(.store(.half, .r2, udpOffset, .r4))
        a.emit(.load(.half, .r4, rule, Int16(Rule.newDestinationPort)))
        a.emit(.store(.half, .r2, udpOffset + 2, .r4))

        let ipChecksum = Int32(ipOffset + 10)
        let udpChecksum = Int32(udpOffset + 6)
        let changes: [(size: BPFSize, old: Int16, new: Int, bytes: Int32, pseudoHeader: Bool)] = [
            (.word, Stack.key + Int16(Rule.keySourceAddress), Rule.newSourceAddress, 4, true),
            (.word, Stack.key + Int16(Rule.keyDestinationAddress), Rule.newDestinationAddress, 4, true),
            (.half, Stack.key + Int16(Rule.keySourcePort), Rule.newSourcePort, 2, false),
            (.half, Stack.key + Int16(Rule.keyDestinationPort), Rule.newDestinationPort, 2, false),
        ]
        for change in changes where change.pseudoHeader {
            // bpf_l3_csum_replace(skb, offset of the IPv4 checksum, old, new, 4)
            a.emit(.move(.r1, ctx))
            a.emit(.move(.r2, ipChecksum))
            a.emit(.load(change.size, .r3, fp, change.old))
            a.emit(.load(change.size, .r4, rule, Int16(change.new)))
            a.emit(.move(.r5, change.bytes))
            a.emit(.call(.l3ChecksumReplace))
        }
        for change in changes {
            // bpf_l4_csum_replace(skb, offset of the UDP checksum, old, new, size | flags)
            var flags = change.bytes | BPFConstant.markMangledZero
            if change.pseudoHeader { flags |= BPFConstant.pseudoHeader }
            a.emit(.move(.r1, ctx))
            a.emit(.move(.r2, udpChecksum))
            a.emit(.load(change.size, .r3, fp, change.old))
            a.emit(.load(change.size, .r4, rule, Int16(change.new)))
            a.emit(.move(.r5, flags))
            a.emit(.call(.l4ChecksumReplace))
        }
    }

    /// bpf_skb_store_bytes(skb, offset, stack bytes, count, 0).
    private static func storeBytes(_ a: inout BPFAssembler, ctx: BPFRegister, at offset: Int32, fromStack stack: Int16, count: Int32) {
        a.emit(.move(.r1, ctx))
        a.emit(.move(.r2, offset))
        a.emit(.move(.r3, BPFRegister.framePointer))
        a.emit(.alu(.add, .r3, Int32(stack)))
        a.emit(.move(.r4, count))
        a.emit(.move(.r5, 0))
        a.emit(.call(.skbStoreBytes))
    }

    /// Adds the packet to the rule's counters (atomically: other CPUs forward the same flow) and
    /// stamps the time, SSRC and sequence number of the last packet.
    private static func count(_ a: inout BPFAssembler, rule: BPFRegister) {
        let fp = BPFRegister.framePointer
        a.emit(.move(.r1, 1))
        a.emit(.atomicAdd(.doubleWord, rule, Int16(Rule.packets), .r1))
        a.emit(.load(.doubleWord, .r1, fp, Stack.payloadLength))
        a.emit(.atomicAdd(.doubleWord, rule, Int16(Rule.bytes), .r1))
        a.emit(.call(.bootTimeNanoseconds))
        a.emit(.store(.doubleWord, rule, Int16(Rule.lastPacketBootNanoseconds), .r0))
        a.emit(.load(.word, .r1, fp, Stack.ssrc))
        a.emit(.store(.word, rule, Int16(Rule.lastSSRC), .r1))
        a.emit(.load(.half, .r1, fp, Stack.sequence))
        a.emit(.store(.half, rule, Int16(Rule.lastSequence), .r1))
    }
}
