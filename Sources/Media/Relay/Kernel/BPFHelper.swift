/// The kernel helpers the forwarding program calls, by their numbers in `enum bpf_func_id`
/// (include/uapi/linux/bpf.h), which never change once released.
enum BPFHelper: Int32, Sendable {
    /// `void *bpf_map_lookup_elem(map, key)`: the value, or NULL.
    case mapLookupElement = 1
    /// `long bpf_skb_store_bytes(skb, offset, from, len, flags)`.
    case skbStoreBytes = 9
    /// `long bpf_l3_csum_replace(skb, offset, from, to, size)`: incremental IPv4 header checksum update.
    case l3ChecksumReplace = 10
    /// `long bpf_l4_csum_replace(skb, offset, from, to, flags)`: incremental TCP/UDP checksum update.
    case l4ChecksumReplace = 11
    /// `long bpf_redirect(ifindex, flags)`: TC_ACT_REDIRECT to the interface's egress.
    case redirect = 23
    /// `long bpf_fib_lookup(ctx, params, plen, flags)`: the kernel's route and neighbour for a packet.
    case fibLookup = 69
    /// `u64 bpf_ktime_get_boot_ns(void)`: CLOCK_BOOTTIME.
    case bootTimeNanoseconds = 125
    /// `long bpf_redirect_neigh(ifindex, params, plen, flags)`: to the interface's egress, the
    /// route and link-layer addresses from the kernel's own lookup.
    case redirectNeighbour = 152
}

/// Flags and constants of those helpers and of TC programs.
enum BPFConstant {
    /// `bpf_l4_csum_replace`: the changed field is in the pseudo-header (an address), not the datagram.
    static let pseudoHeader: Int32 = 1 << 4
    /// `bpf_l4_csum_replace`: a zero UDP checksum means "none" and stays zero; a result of zero is written as 0xFFFF.
    static let markMangledZero: Int32 = 1 << 5
    /// `bpf_fib_lookup` results (`BPF_FIB_LKUP_RET_*`).
    static let fibSuccess: Int32 = 0
    static let fibForwardingDisabled: Int32 = 5
    static let fibNotForwarded: Int32 = 4
    static let fibNoNeighbour: Int32 = 7
    /// TC verdicts: hand the packet to the stack now; let the next program (or the stack) decide.
    static let tcPass: Int32 = 0
    static let tcNext: Int32 = -1
    /// `struct __sk_buff` field offsets.
    static let skbIngressIfindex: Int16 = 36
    static let skbData: Int16 = 76
    static let skbDataEnd: Int16 = 80
    /// `bpf_prog_type` and `bpf_map_type`, `bpf_attach_type`.
    static let programTypeSchedulerClassifier: UInt32 = 3
    static let mapTypeHash: UInt32 = 1
    static let attachTCXIngress: UInt32 = 46
}
