#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// bpf(2) for kernel forwarding, through the C shim (no libbpf): each wrapper names its command
/// in the ``MediaIOError`` it throws (`bpf(BPF_MAP_CREATE)`, …).
extension RelaySyscall {
    static func bpfHashMap(keySize: Int, valueSize: Int, maxEntries: Int) throws(MediaIOError) -> Int32 {
        try retrying("bpf(BPF_MAP_CREATE)") {
            sb_bpf_map_create(BPFConstant.mapTypeHash, UInt32(keySize), UInt32(valueSize), UInt32(maxEntries), 0)
        }
    }

    /// Loads a TC classifier. When the kernel refuses it as invalid (EACCES, EINVAL), loads it again
    /// with the verifier's log on and throws the end of that log.
    static func bpfLoadClassifier(_ instructions: [BPFInstruction], license: String, name: String) throws(KernelForwardingError) -> Int32 {
        let code = instructions.flatMap(\.bytes)
        func load(_ log: UnsafeMutableBufferPointer<CChar>?) -> Int32 {
            code.withUnsafeBytes { raw in
                sb_bpf_prog_load(
                    BPFConstant.programTypeSchedulerClassifier, raw.baseAddress, UInt32(instructions.count), license,
                    log?.baseAddress, UInt32(log?.count ?? 0), log == nil ? 0 : 1, name)
            }
        }
        let fd = load(nil)
        if fd >= 0 { return fd }
        let failure = MediaIOError(syscall: "bpf(BPF_PROG_LOAD)", errno: errno)
        guard failure.errno == EACCES || failure.errno == EINVAL else { throw .system(failure) }
        var log = [CChar](repeating: 0, count: 1 << 20)
        let again = log.withUnsafeMutableBufferPointer { load($0) }
        if again >= 0 {
            close(again)
            throw .system(failure)
        }
        let text = log.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw .verifierRejected(failure, log: String(text.suffix(3000)))
    }

    /// Attaches a classifier at TCX ingress of interface `ifindex`; the link is detached when its descriptor closes.
    static func bpfAttachTCXIngress(program: Int32, ifindex: UInt32) throws(MediaIOError) -> Int32 {
        try retrying("bpf(BPF_LINK_CREATE)") { sb_bpf_link_create(program, Int32(ifindex), BPFConstant.attachTCXIngress) }
    }

    /// BPF_PROG_TEST_RUN through `call` (which fills the shim's arguments).
    static func bpfTestRun(_ call: () -> Int32) throws(MediaIOError) -> Int32 {
        try retrying("bpf(BPF_PROG_TEST_RUN)", call)
    }

    /// Inserts or replaces an element.
    static func bpfMapUpdate(_ map: Int32, key: [UInt8], value: [UInt8]) throws(MediaIOError) {
        _ = try retrying("bpf(BPF_MAP_UPDATE_ELEM)") {
            key.withUnsafeBytes { k in value.withUnsafeBytes { v in sb_bpf_map_update(map, k.baseAddress, v.baseAddress, 0) } }
        }
    }

    /// The element's value; nil when the key is not in the map.
    static func bpfMapLookup(_ map: Int32, key: [UInt8], valueSize: Int, andDelete: Bool) throws(MediaIOError) -> [UInt8]? {
        var value = [UInt8](repeating: 0, count: valueSize)
        do {
            _ = try retrying(andDelete ? "bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM)" : "bpf(BPF_MAP_LOOKUP_ELEM)") {
                key.withUnsafeBytes { k in
                    value.withUnsafeMutableBytes { v in
                        andDelete ? sb_bpf_map_lookup_and_delete(map, k.baseAddress, v.baseAddress) : sb_bpf_map_lookup(map, k.baseAddress, v.baseAddress)
                    }
                }
            }
        } catch {
            if error.errno == ENOENT { return nil }
            throw error
        }
        return value
    }

    /// CLOCK_BOOTTIME now, the clock the program stamps packets with.
    static func bootTimeNanoseconds() -> UInt64 {
        sb_boottime_ns()
    }

    /// Whether `address` is an address of this host: binding a UDP socket to it succeeds.
    static func isLocalIPv4(_ address: RelayEndpoint) -> Bool {
        guard let ipv4 = address.ipv4 else { return false }
        if ipv4 & 0xFF == 127 { return true }
        let fd = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_addr.s_addr = ipv4
        return withUnsafePointer(to: &sin) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// The names and indexes of the host's network interfaces.
    static func interfaces() -> [(name: String, index: UInt32)] {
        guard let list = if_nameindex() else { return [] }
        defer { if_freenameindex(list) }
        var result: [(String, UInt32)] = []
        var entry = list
        while entry.pointee.if_index != 0, let name = entry.pointee.if_name {
            result.append((String(cString: name), entry.pointee.if_index))
            entry += 1
        }
        return result
    }
}
