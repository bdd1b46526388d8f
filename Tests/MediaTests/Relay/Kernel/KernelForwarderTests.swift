import Testing
@testable import Media

/// Whether this process may load BPF programs (CAP_BPF and CAP_NET_ADMIN, a kernel with bpf(2)).
let kernelForwardingAvailable = KernelForwarder.unavailableReason() == nil

@Suite("Kernel forwarding program")
struct KernelForwarderTests {
    @Test("The verifier accepts the RTP forwarding program", .enabled(if: kernelForwardingAvailable))
    func programLoads() {
        #expect(KernelForwarder.unavailableReason() == nil)
    }

    @Test("A rejected program's error carries the verifier's log")
    func verifierLog() throws {
        // r0 is never set: the verifier refuses "R0 !read_ok".
        do {
            let fd = try RelaySyscall.bpfLoadClassifier([.exit], license: RTPForwardProgram.license, name: "sb_bad")
            RelaySyscall.close(fd)
            Issue.record("an exit without r0 loaded")
        } catch {
            guard case .verifierRejected(_, let log) = error else {
                // Without CAP_BPF the kernel refuses before verifying (EPERM).
                if case .system(let e) = error { #expect(e.errno != 0) }
                return
            }
            #expect(log.contains("R0"))
        }
    }

    @Test("rtnetlink RTM_GETROUTE: a loopback peer is this host, reached through lo")
    func routeToLoopback() throws {
        let route = try #require(
            RelaySyscall.route(
                to: RelayEndpoint(SocketAddress(ip: "127.0.0.2", port: 5000)!), from: RelayEndpoint(SocketAddress(ip: "127.0.0.1", port: 30000)!)))
        #expect(route.isLocal)
        #expect(route.interface == RelaySyscall.interfaces().first { $0.name == "lo" }?.index)
    }
}
