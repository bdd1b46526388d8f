import CallCore
import Dispatch
import Foundation
import Logging
import Routing
import SIPCore
import SIPTransport
import Synchronization

/// Sends an OPTIONS to each carrier's primary termination host every
/// interval and reports answers and silences to the carriers' health
/// (down after repeated silence, up after repeated answers: `TrunkHealth`).
/// Probes leave statelessly from the SIP listener (carriers that check the
/// source address see the address calls come from); answers are recognised
/// by their branch before they reach a shard.
///
/// `@unchecked Sendable`: the mutable state is behind the mutex; the timer
/// is created once and only rescheduled.
final class HealthProber: @unchecked Sendable {
    static let branchPrefix = "z9hG4bK-sbprobe-"

    private struct Pending {
        var carrier: String
        var sentAt: DispatchTime
    }

    private struct State {
        var carriers: [String: CarrierProfile] = [:]
        var pending: [String: Pending] = [:]
        var counter: UInt64 = 0
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "switchboard.health")
    private let accounting: CarrierAccounting
    private let transport: SIPTransportLayer
    private let logger: Logger
    /// A probe without an answer after this long counts as a failure.
    static let answerTimeout: DispatchTimeInterval = .seconds(5)

    private let timer: any DispatchSourceTimer

    init(accounting: CarrierAccounting, transport: SIPTransportLayer, logger: Logger) {
        self.accounting = accounting
        self.transport = transport
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .distantFuture)
        timer.setEventHandler { [weak self] in self?.probeAll() }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    /// The carriers to probe and how often; 0 seconds stops probing.
    func configure(_ carriers: [String: CarrierProfile], interval seconds: Int) {
        state.withLock { $0.carriers = carriers }
        if seconds > 0, !carriers.isEmpty {
            timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(seconds), leeway: .milliseconds(500))
        } else {
            timer.schedule(deadline: .distantFuture)
        }
    }

    func stop() {
        timer.schedule(deadline: .distantFuture)
    }

    /// Whether `response` answers one of our probes; it is then consumed here.
    func take(_ response: SIPMessage) -> Bool {
        // Every response passes here: no Via is parsed unless a probe waits for its answer.
        guard !state.withLock({ $0.pending.isEmpty }) else { return false }
        guard let branch = try? response.topVia().branch, branch.hasPrefix(Self.branchPrefix) else { return false }
        guard response.statusCode >= 200 else { return true }
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: branch) }) else { return true }
        accounting.recordProbe(pending.carrier, succeeded: TrunkHealth.probeSucceeded(status: response.statusCode))
        return true
    }

    private func probeAll() {
        let (carriers, expired) = state.withLock { s -> ([String: CarrierProfile], [Pending]) in
            let deadline = DispatchTime.now().uptimeNanoseconds
            let limit = UInt64(5_000_000_000)
            let old = s.pending.filter { deadline - $0.value.sentAt.uptimeNanoseconds > limit }
            for key in old.keys { s.pending[key] = nil }
            return (s.carriers, Array(old.values))
        }
        for probe in expired { accounting.recordProbe(probe.carrier, succeeded: false) }
        for (name, profile) in carriers { probe(name, profile) }
    }

    private func probe(_ name: String, _ profile: CarrierProfile) {
        let host = profile.primaryHost
        let transport: TransportProtocol =
            switch profile.transport {
            case .udp: .udp
            case .tcp: .tcp
            case .tls: .tls
            }
        guard let address = SocketAddress(ip: host.host, port: host.port ?? transport.defaultPort) else {
            // Host names need the resolver; such carriers are not probed (calls still fail over).
            return
        }
        let target = OutboundTarget(transport: transport, address: address, serverName: transport == .tls ? host.host : nil)
        guard let local = self.transport.localAddress(toward: target) else { return }
        let branch = state.withLock { s -> String in
            s.counter += 1
            let branch = Self.branchPrefix + String(s.counter, radix: 16)
            s.pending[branch] = Pending(carrier: name, sentAt: .now())
            return branch
        }
        let uri = "sip:\(host)"
        var text = "OPTIONS \(uri) SIP/2.0\r\n"
        text += "Via: SIP/2.0/\(transport.viaToken) \(local.description);branch=\(branch);rport\r\n"
        text += "Max-Forwards: 70\r\n"
        text += "From: <sip:switchboard@\(local.hostText)>;tag=\(branch.suffix(8))\r\n"
        text += "To: <\(uri)>\r\n"
        text += "Call-ID: \(branch)@\(local.hostText)\r\n"
        text += "CSeq: 1 OPTIONS\r\n"
        text += "Content-Length: 0\r\n\r\n"
        self.transport.send(Array(text.utf8), to: target)
    }
}
