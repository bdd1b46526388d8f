import CSwitchboardShims
import Synchronization

/// The relay's fast path: a TC ingress program (``RTPForwardProgram``) attached with TCX to the
/// host's interfaces, and the hash map of ``KernelForwardingRule``s it forwards by. Streams install
/// a rule for a direction that needs no processing in user space (plain RTP, both ends known) and
/// remove it when that changes; every other packet still reaches the userspace relay.
///
/// One per process, shared by every relay shard; map updates are system calls, safe from any
/// thread. Closing (deinit) detaches the program: the links are not pinned, so a process that
/// dies leaves nothing behind in the kernel.
public final class KernelForwarder: Sendable {
    /// The interfaces the program is attached to.
    public let interfaces: [String]
    /// Most rules the map holds (two per stream).
    public let capacity: Int
    let mapDescriptor: Int32
    private let programDescriptor: Int32
    private let linkDescriptors: [Int32]
    private let installed = Atomic<Int>(0)

    /// Creates the rule map, loads the program and attaches it at ingress of `interfaces` (names;
    /// nil: every interface the host has now). Needs CAP_BPF and CAP_NET_ADMIN and Linux 6.6 (TCX).
    /// An interface that refuses is skipped; none accepting is an error. Datagrams longer than
    /// `maximumDatagram` are left to user space, which drops them as truncated.
    public init(
        interfaces names: [String]? = nil, capacity: Int,
        maximumDatagram: Int = RelayShardConfiguration().maxDatagramSize
    ) throws(KernelForwardingError) {
        let all = RelaySyscall.interfaces()
        let chosen = names.map { wanted in all.filter { wanted.contains($0.name) } } ?? all
        self.capacity = max(capacity, 16)
        let (map, program) = try Self.load(capacity: self.capacity, maximumDatagram: maximumDatagram, name: "sb_rtp_fwd")
        var links: [Int32] = []
        var attached: [String] = []
        var lastError: MediaIOError?
        for interface in chosen {
            do throws(MediaIOError) {
                links.append(try RelaySyscall.bpfAttachTCXIngress(program: program, ifindex: interface.index))
                attached.append(interface.name)
            } catch {
                lastError = error
            }
        }
        guard !links.isEmpty else {
            RelaySyscall.close(program)
            RelaySyscall.close(map)
            throw .noInterface(attempted: chosen.map(\.name), lastError: lastError)
        }
        mapDescriptor = map
        programDescriptor = program
        linkDescriptors = links
        interfaces = attached
    }

    deinit {
        for link in linkDescriptors { RelaySyscall.close(link) }
        RelaySyscall.close(programDescriptor)
        RelaySyscall.close(mapDescriptor)
    }

    /// Why kernel forwarding cannot run here, or nil when the program loads (the verifier accepts
    /// it and the caller may use bpf(2)); attaches nothing.
    public static func unavailableReason() -> KernelForwardingError? {
        do throws(KernelForwardingError) {
            let (map, program) = try load(capacity: 16, maximumDatagram: 2048, name: "sb_rtp_probe")
            RelaySyscall.close(program)
            RelaySyscall.close(map)
            return nil
        } catch {
            return error
        }
    }

    /// Creates the rule map and loads the program over it; nothing is left open on failure.
    private static func load(capacity: Int, maximumDatagram: Int, name: String) throws(KernelForwardingError) -> (map: Int32, program: Int32) {
        let map: Int32
        do throws(MediaIOError) {
            map = try RelaySyscall.bpfHashMap(
                keySize: KernelForwardingRule.Layout.keySize, valueSize: KernelForwardingRule.Layout.valueSize,
                maxEntries: capacity)
        } catch {
            throw .system(error)
        }
        do throws(KernelForwardingError) {
            let program = try RelaySyscall.bpfLoadClassifier(
                RTPForwardProgram.instructions(mapDescriptor: map, maximumPayload: Int32(clamping: maximumDatagram)),
                license: RTPForwardProgram.license, name: name)
            return (map, program)
        } catch {
            RelaySyscall.close(map)
            throw error
        }
    }

    /// Rules in the map now.
    public var ruleCount: Int { installed.load(ordering: .relaxed) }

    /// Installs a rule, its counters at zero (a rule with the same key is replaced).
    func install(_ rule: KernelForwardingRule) throws(MediaIOError) {
        let key = rule.key.bytes
        let existed = (try? RelaySyscall.bpfMapLookup(mapDescriptor, key: key, valueSize: KernelForwardingRule.Layout.valueSize, andDelete: false)) != nil
        try RelaySyscall.bpfMapUpdate(mapDescriptor, key: key, value: rule.value)
        if !existed { installed.add(1, ordering: .relaxed) }
    }

    /// Removes a rule; what it counted up to its removal, nil when it was not installed.
    func remove(_ key: KernelForwardingRule.Key) -> KernelFlowCounters? {
        guard
            let value = try? RelaySyscall.bpfMapLookup(
                mapDescriptor, key: key.bytes, valueSize: KernelForwardingRule.Layout.valueSize, andDelete: true)
        else { return nil }
        installed.subtract(1, ordering: .relaxed)
        return value.withUnsafeBytes { KernelFlowCounters(value: $0) }
    }

    /// Runs the program once over an Ethernet frame, as if it had arrived on loopback, with no
    /// network involved (BPF_PROG_TEST_RUN): its verdict and the frame as it left it.
    func run(frame: [UInt8]) throws(MediaIOError) -> (verdict: Int32, frame: [UInt8]) {
        var out = [UInt8](repeating: 0, count: frame.count + 256)
        var size = UInt32(out.count)
        var verdict: Int32 = 0
        let fd = programDescriptor
        _ = try RelaySyscall.bpfTestRun {
            frame.withUnsafeBytes { input in
                out.withUnsafeMutableBytes { sb_bpf_prog_test_run(fd, input.baseAddress, UInt32(input.count), $0.baseAddress, &size, &verdict) }
            }
        }
        return (verdict, Array(out.prefix(Int(size))))
    }

    /// What a rule has counted so far; nil when it is not installed.
    func counters(_ key: KernelForwardingRule.Key) -> KernelFlowCounters? {
        guard
            let value = try? RelaySyscall.bpfMapLookup(
                mapDescriptor, key: key.bytes, valueSize: KernelForwardingRule.Layout.valueSize, andDelete: false)
        else { return nil }
        return value.withUnsafeBytes { KernelFlowCounters(value: $0) }
    }
}
