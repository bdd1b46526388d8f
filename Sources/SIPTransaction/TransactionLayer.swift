import Dispatch
import SIPCore
import SIPTransport

/// The transactions of one shard (RFC 3261 17, RFC 6026): matches what
/// arrives to server and client transactions, runs their state machines and
/// timers, sends through the transport and tells the TU what it must know.
///
/// Confined to its shard's serial `DispatchQueue`: every method must be
/// called on that queue (checked with `dispatchPrecondition` in debug builds
/// when a queue is given; tests pass none and run on their own thread).
/// Hence `@unchecked Sendable`: it may be handed to the queue, not shared.
///
/// Timers live on a `TimerWheel` read against `clock`; the owner calls
/// `tick()` periodically (every few milliseconds) to fire what is due.
/// Transport failures come in through `transportFailed(_:)`, on the queue.
public final class TransactionLayer: @unchecked Sendable {
    public let shard: Int
    public let timers: TransactionTimers
    let clock: any TransactionClock
    let sender: any MessageSender
    weak var user: (any TransactionUser)?
    let queue: DispatchQueue?

    var wheel: TimerWheel<TimerPayload>
    /// The time effects are scheduled against: the clock on entry, a timer's deadline while it fires.
    var now: Int64
    private var lastID: UInt64 = 0
    var servers: [UInt64: ServerEntry] = [:]
    var clients: [UInt64: ClientEntry] = [:]
    var serverIndex: [TransactionKey: UInt64] = [:]
    var clientIndex: [TransactionKey: UInt64] = [:]
    /// CANCELs waiting for their INVITE's first provisional response: CANCEL id → INVITE id.
    var pendingCancels: [UInt64: UInt64] = [:]
    public internal(set) var statistics = TransactionStatistics()

    public init(
        clock: any TransactionClock, timers: TransactionTimers = TransactionTimers(), sender: any MessageSender,
        user: any TransactionUser, shard: Int, queue: DispatchQueue? = nil
    ) {
        self.clock = clock
        self.timers = timers
        self.sender = sender
        self.user = user
        self.shard = shard
        self.queue = queue
        now = clock.now
        wheel = TimerWheel(now: clock.now)
    }

    func nextID() -> UInt64 {
        lastID += 1
        return lastID
    }

    /// Checks queue confinement (debug builds) and reads the clock.
    func enter() {
        #if DEBUG
            if let queue { dispatchPrecondition(condition: .onQueue(queue)) }
        #endif
        now = clock.now
    }

    /// A message from the transport: a request goes to its server
    /// transaction (absorbed as a retransmission, or a new one for the TU);
    /// a response goes to its client transaction, or to the TU as stray.
    public func receive(_ inbound: InboundMessage) {
        enter()
        if inbound.message.isRequest {
            receiveRequest(inbound)
        } else {
            receiveResponse(inbound)
        }
    }

    /// Fires every timer due by the clock's current time, in deadline order.
    public func tick() {
        enter()
        let target = now
        while let due = wheel.popDue(upTo: target) {
            now = due.deadline
            fire(due)
        }
        now = target
    }

    /// Number of timers scheduled (for tests and `ctl`).
    public var scheduledTimers: Int { wheel.count }

    /// Sends a message outside any transaction: an ACK for a 2xx, or a
    /// stray 2xx a proxy forwards (RFC 3261 16.7).
    public func sendStateless(_ message: SIPMessage, to target: OutboundTarget) {
        enter()
        sender.send(message.serialized(), to: target)
    }

    /// The transport could not deliver to `failure.target`: every transaction
    /// sending there ends (RFC 3261 17.1.4, 17.2.4) and the TU is told.
    public func transportFailed(_ failure: TransportFailure) {
        enter()
        statistics.transportFailures += 1
        let clientIDs = clients.compactMap { Self.sameDestination($0.value.target, failure.target) ? $0.key : nil }
        for raw in clientIDs.sorted() {
            var effects: [TransactionEffect] = []
            clients[raw]?.transportFailed(&effects)
            runClient(raw, effects, failure: failure)
        }
        let serverIDs = servers.compactMap { Self.sameDestination($0.value.target, failure.target) ? $0.key : nil }
        for raw in serverIDs.sorted() {
            var effects: [TransactionEffect] = []
            servers[raw]?.transportFailed(&effects)
            runServer(raw, effects, failure: failure)
        }
    }

    /// The same connection when both name one; otherwise the same transport and address.
    static func sameDestination(_ a: OutboundTarget, _ b: OutboundTarget) -> Bool {
        if let ca = a.connection, let cb = b.connection { return ca == cb }
        return a.transport == b.transport && a.address == b.address
    }

    func fire(_ due: TimerWheel<TimerPayload>.Due) {
        let payload = due.payload
        var effects: [TransactionEffect] = []
        if payload.isServer {
            guard servers[payload.raw]?.timers[payload.timer] == due.id else { return }
            servers[payload.raw]?.timers[payload.timer] = nil
            servers[payload.raw]?.timerFired(payload.timer, &effects)
            runServer(payload.raw, effects)
        } else {
            guard clients[payload.raw]?.timers[payload.timer] == due.id else { return }
            clients[payload.raw]?.timers[payload.timer] = nil
            clients[payload.raw]?.timerFired(payload.timer, &effects)
            runClient(payload.raw, effects)
        }
    }
}

/// What a wheel timer refers to: one timer of one transaction.
struct TimerPayload {
    var isServer: Bool
    var raw: UInt64
    var timer: TransactionTimerName
}
