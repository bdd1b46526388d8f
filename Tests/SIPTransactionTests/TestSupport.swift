import Foundation
import SIPCore
import SIPTransaction
import SIPTransport

/// Records every send, with the virtual time it happened at.
final class RecordingSender: MessageSender, @unchecked Sendable {
    struct Sent {
        var bytes: [UInt8]
        var target: OutboundTarget
        var time: Int64
        var message: SIPMessage { try! SIPMessage(bytes: bytes) }
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    private let lock = NSLock()
    private var records: [Sent] = []
    let clock: VirtualClock

    init(clock: VirtualClock) { self.clock = clock }

    func send(_ bytes: [UInt8], to target: OutboundTarget) {
        lock.withLock { records.append(Sent(bytes: bytes, target: target, time: clock.now)) }
    }

    func localAddress(toward target: OutboundTarget) -> SocketAddress? { SocketAddress(ip: "192.0.2.1", port: 5060) }

    var sent: [Sent] { lock.withLock { records } }
    var count: Int { sent.count }
    var last: Sent? { sent.last }
    func clear() { lock.withLock { records.removeAll() } }
}

/// Records what the layer tells its TU; optional hooks answer inline.
final class RecordingUser: TransactionUser {
    enum Event: CustomStringConvertible {
        case request(SIPMessage, ServerTransactionID)
        case cancel(SIPMessage, ServerTransactionID, ServerTransactionID?)
        case ack(SIPMessage, ServerTransactionID?)
        case response(SIPMessage, ClientTransactionID)
        case failed(ClientTransactionID, ClientTransactionFailure)
        case stray(SIPMessage)
        case terminated(ServerTransactionID, ServerTransactionEnd)

        var description: String {
            switch self {
            case .request(let m, _): return "request \(m.method)"
            case .cancel(_, _, let i): return "cancel \(i.map(String.init(describing:)) ?? "nil")"
            case .ack(_, let i): return "ack \(i.map(String.init(describing:)) ?? "nil")"
            case .response(let m, _): return "response \(m.statusCode)"
            case .failed(_, let f): return "failed \(f.statusCode)"
            case .stray(let m): return "stray \(m.statusCode)"
            case .terminated(_, let e): return "terminated \(e)"
            }
        }
    }

    var events: [Event] = []
    var onRequest: ((SIPMessage, ServerTransactionID) -> Void)?
    var onResponse: ((SIPMessage, ClientTransactionID) -> Void)?

    func didReceiveRequest(_ request: SIPMessage, transaction: ServerTransactionID, inbound: InboundMessage) {
        events.append(.request(request, transaction))
        onRequest?(request, transaction)
    }
    func didReceiveCancel(_ cancel: SIPMessage, transaction: ServerTransactionID, cancelling invite: ServerTransactionID?, inbound: InboundMessage) {
        events.append(.cancel(cancel, transaction, invite))
    }
    func didReceiveAck(_ ack: SIPMessage, acceptedInvite: ServerTransactionID?, inbound: InboundMessage) {
        events.append(.ack(ack, acceptedInvite))
    }
    func didReceiveResponse(_ response: SIPMessage, transaction: ClientTransactionID, inbound: InboundMessage) {
        events.append(.response(response, transaction))
        onResponse?(response, transaction)
    }
    func clientTransactionFailed(_ transaction: ClientTransactionID, failure: ClientTransactionFailure) {
        events.append(.failed(transaction, failure))
    }
    func didReceiveStrayResponse(_ response: SIPMessage, inbound: InboundMessage) {
        events.append(.stray(response))
    }
    func serverTransactionTerminated(_ transaction: ServerTransactionID, end: ServerTransactionEnd) {
        events.append(.terminated(transaction, end))
    }

    var summary: [String] { events.map(\.description) }
    var serverTransactions: [ServerTransactionID] {
        events.compactMap { if case .request(_, let id) = $0 { return id } else { return nil } }
    }
    var responses: [SIPMessage] {
        events.compactMap { if case .response(let m, _) = $0 { return m } else { return nil } }
    }
}

/// A layer on a virtual clock with a recording sender and TU.
final class Harness {
    let clock = VirtualClock(now: 10_000)
    let sender: RecordingSender
    let user = RecordingUser()
    let layer: TransactionLayer

    init(timers: TransactionTimers = TransactionTimers(), shard: Int = 0) {
        sender = RecordingSender(clock: clock)
        layer = TransactionLayer(clock: clock, timers: timers, sender: sender, user: user, shard: shard)
    }

    /// Moves the clock and fires what became due.
    func advance(_ milliseconds: Int64) {
        clock.advance(by: milliseconds)
        layer.tick()
    }

    /// Advances one millisecond at a time for `duration` and returns, relative
    /// to the start, the times at which something was sent.
    func sendTimes(over duration: Int64) -> [Int64] {
        let start = clock.now
        let before = sender.count
        for _ in 0..<duration { advance(1) }
        return sender.sent[before...].map { $0.time - start }
    }

    func receive(_ text: String, transport: TransportProtocol = .udp, source: SocketAddress = Peer.alice, connection: ConnectionID? = nil) {
        layer.receive(Peer.inbound(text, transport: transport, source: source, connection: connection))
    }

    func receive(_ message: SIPMessage, transport: TransportProtocol = .udp, source: SocketAddress = Peer.bob) {
        layer.receive(InboundMessage(message: message, source: source, local: Peer.local, transport: transport, connection: nil))
    }
}

enum Peer {
    static let alice = SocketAddress(ip: "192.0.2.10", port: 5060)!
    static let bob = SocketAddress(ip: "198.51.100.20", port: 5060)!
    static let local = SocketAddress(ip: "192.0.2.1", port: 5060)!
    static let bobUDP = OutboundTarget(transport: .udp, address: bob)
    static let bobTCP = OutboundTarget(transport: .tcp, address: bob, connection: ConnectionID(rawValue: 7))

    static func inbound(_ text: String, transport: TransportProtocol = .udp, source: SocketAddress = alice, connection: ConnectionID? = nil) -> InboundMessage {
        InboundMessage(message: try! SIPMessage(text), source: source, local: local, transport: transport, connection: connection)
    }
}

/// Requests as test peers send them.
enum Msg {
    static func request(
        _ method: String, branch: String? = "z9hG4bK-alice-1", sentBy: String = "192.0.2.10:5060", transport: String = "UDP",
        viaParams: String = "", uri: String = "sip:bob@example.net", cseq: Int = 1, cseqMethod: String? = nil,
        toTag: String? = nil, callID: String = "call-1@192.0.2.10", routes: [String] = [], extra: [String] = []
    ) -> String {
        var lines = ["\(method) \(uri) SIP/2.0"]
        lines.append("Via: SIP/2.0/\(transport) \(sentBy)" + (branch.map { ";branch=\($0)" } ?? "") + viaParams)
        lines.append("Max-Forwards: 70")
        for r in routes { lines.append("Route: \(r)") }
        lines.append("From: \"Alice\" <sip:alice@example.com>;tag=from-1")
        lines.append("To: <sip:bob@example.net>" + (toTag.map { ";tag=\($0)" } ?? ""))
        lines.append("Call-ID: \(callID)")
        lines.append("CSeq: \(cseq) \(cseqMethod ?? method)")
        lines.append(contentsOf: extra)
        lines.append("Content-Length: 0")
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    static func invite(branch: String? = "z9hG4bK-alice-1", transport: String = "UDP", toTag: String? = nil) -> String {
        request("INVITE", branch: branch, transport: transport, toTag: toTag)
    }

    /// The ACK a client sends for a non-2xx final response (same branch, To from the response).
    static func ack(branch: String? = "z9hG4bK-alice-1", toTag: String? = "srv-1", cseq: Int = 1) -> String {
        request("ACK", branch: branch, cseq: cseq, toTag: toTag)
    }

    /// A request Switchboard sends, with its own Via on top.
    static func outgoing(_ method: String, branch: String = "z9hG4bK-s0-0000000000000001", routes: [String] = []) -> SIPMessage {
        try! SIPMessage(
            request(method, branch: branch, sentBy: "192.0.2.1:5060", uri: "sip:bob@198.51.100.20", routes: routes, extra: []))
    }

    static func response(to request: SIPMessage, _ status: Int, toTag: String? = "uas-1") -> SIPMessage {
        request.makeResponse(status: status, reason: "Test", toTag: status == 100 ? nil : toTag)
    }

    static func response(to request: String, _ status: Int, toTag: String? = "srv-1") -> SIPMessage {
        response(to: try! SIPMessage(request), status, toTag: toTag)
    }
}
