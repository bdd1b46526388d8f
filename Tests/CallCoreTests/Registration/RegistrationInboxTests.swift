import Dispatch
import SIPCore
import SIPTransport
import Synchronization
import Testing

@testable import CallCore

/// REGISTERs handed from the shards to the registrar's own queue: handled
/// there in the order posted, and refused past the inbox's capacity so that
/// an overloaded registrar answers 503 (RFC 3261 21.5.4) instead of queueing
/// without bound.
@Suite("Registrar queue (RegistrationInbox)")
struct RegistrationInboxTests {
    static func item(_ cseq: Int) throws -> RegistrationInbox.Item {
        let request = try SIPMessage(
            [
                "REGISTER sip:example.com SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK\(cseq)", "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=1", "To: <sip:alice@example.com>", "Call-ID: inbox", "CSeq: \(cseq) REGISTER",
                "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
        let source = SocketAddress(ip: "192.0.2.1", port: 5060)!
        return RegistrationInbox.Item(
            request: request, inbound: InboundMessage(message: request, source: source, local: source, transport: .udp, connection: nil),
            reply: ResponseHandle { _ in })
    }

    @Test("RFC 3261 21.5.4: past its capacity the inbox refuses a REGISTER (the caller answers 503); what it took is handled in order")
    func boundedAndOrdered() throws {
        let handled = Mutex<[UInt32]>([])
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let inbox = RegistrationInbox(label: "test.registrar", capacity: 2) { item in
            let cseq = (try? item.request.cseq().sequence) ?? 0
            if cseq == 1 {
                started.signal()
                release.wait()
            }
            handled.withLock { $0.append(cseq) }
        }
        #expect(inbox.post(try Self.item(1)))
        started.wait()
        // The queue is busy with the first; two more wait, a fourth is refused.
        #expect(inbox.post(try Self.item(2)))
        #expect(inbox.post(try Self.item(3)))
        #expect(!inbox.post(try Self.item(4)))
        release.signal()
        inbox.flush()
        #expect(handled.withLock { $0 } == [1, 2, 3])
        #expect(inbox.postedCount == 3)
        // Room again once the queue has caught up.
        #expect(inbox.post(try Self.item(5)))
        inbox.flush()
        #expect(handled.withLock { $0 } == [1, 2, 3, 5])
    }

    /// An inbox that records the CSeq of each REGISTER it handles, drained
    /// by a receiver thread between batches (`ReceiverTurns`).
    final class Receiver: Sendable {
        private final class Log: Sendable {
            let cseqs = Mutex<[UInt32]>([])
        }
        private let log: Log
        let turns = ReceiverTurns()
        let inbox: RegistrationInbox

        init() {
            let log = Log()
            self.log = log
            inbox = RegistrationInbox(label: "test.registrar", capacity: 8) { item in
                log.cseqs.withLock { $0.append((try? item.request.cseq().sequence) ?? 0) }
            }
            turns.setHandler { [weak inbox] in inbox?.drain() }
            inbox.setTurns(turns)
        }

        var cseqs: [UInt32] { log.cseqs.withLock { $0 } }
    }

    @Test("RFC 3261 10.3: a REGISTER posted while a receiver is busy wakes nothing; the receiver handles it between batches, on its own thread")
    func loneRegisterOnReceiver() throws {
        let receiver = Receiver()
        let (inbox, turns) = (receiver.inbox, receiver.turns)
        let item = try Self.item(1)
        turns.takingTurn {
            #expect(inbox.post(item))
        }
        // The turn's end ran the handler, which handled it on this thread
        // before returning; had the post woken the queue, the queue would
        // have taken it and the handler found nothing.
        #expect(receiver.cseqs == [1])
        #expect(inbox.handledByReceiversCount == 1)
    }

    @Test("RFC 3261 10.3: more REGISTERs than a receiver takes go to the registrar's queue, in the order posted")
    func manyRegistersToQueue() throws {
        let receiver = Receiver()
        let (inbox, turns) = (receiver.inbox, receiver.turns)
        let items = try (1...(RegistrationInbox.receiverLimit + 1)).map { try Self.item($0) }
        turns.takingTurn {
            for item in items { #expect(inbox.post(item)) }
        }
        inbox.flush()
        #expect(receiver.cseqs == items.map { (try? $0.request.cseq().sequence) ?? 0 })
        #expect(inbox.handledByReceiversCount == 0)
        // With no receiver busy, a post wakes the queue itself.
        #expect(inbox.post(try Self.item(9)))
        inbox.flush()
        #expect(receiver.cseqs.last == 9)
        #expect(inbox.handledByReceiversCount == 0)
    }
}
