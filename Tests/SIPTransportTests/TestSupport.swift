#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import SIPCore
import Testing

@testable import SIPTransport

/// How long any test waits for something that should happen; a deadline, not a measurement.
let deadline: Double = 10

/// Collects what a transport layer delivers, for waiting on with a deadline.
final class Inbox: Sendable {
    private let messages = Mutex<[InboundMessage]>([])
    private let failures = Mutex<[TransportFailure]>([])
    private let signal = DispatchSemaphore(value: 0)

    func attach(_ layer: SIPTransportLayer) {
        layer.onMessage = { [self] m in
            messages.withLock { $0.append(m) }
            signal.signal()
        }
        layer.onFailure = { [self] f in
            failures.withLock { $0.append(f) }
            signal.signal()
        }
    }

    var received: [InboundMessage] { messages.withLock { $0 } }
    var failed: [TransportFailure] { failures.withLock { $0 } }

    /// Waits until `count` messages arrived; false at the deadline.
    @discardableResult
    func wait(messages count: Int, seconds: Double = deadline) -> Bool {
        wait(seconds: seconds) { self.received.count >= count }
    }

    @discardableResult
    func wait(failures count: Int, seconds: Double = deadline) -> Bool {
        wait(seconds: seconds) { self.failed.count >= count }
    }

    private func wait(seconds: Double, until done: () -> Bool) -> Bool {
        let end = DispatchTime.now() + seconds
        while !done() {
            if signal.wait(timeout: end) == .timedOut { return done() }
        }
        return true
    }
}

/// Waits, with a deadline, until `condition` holds (for counters updated on other queues).
func eventually(seconds: Double = deadline, _ condition: () -> Bool) -> Bool {
    let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    while !condition() {
        if DispatchTime.now().uptimeNanoseconds > end { return false }
        usleep(2_000)
    }
    return true
}

func address(_ ip: String, _ port: UInt16 = 0) -> SocketAddress { SocketAddress(ip: ip, port: port)! }

/// The defaults, logging only errors (tests provoke warnings on purpose).
func quietConfiguration() -> TransportConfiguration {
    var config = TransportConfiguration()
    config.logger.logLevel = .error
    return config
}

/// A started layer listening on the given transports at `ip`, port 0.
func startedLayer(
    _ transports: [TransportProtocol], ip: String = "127.0.0.1", configuration: TransportConfiguration = quietConfiguration(),
    inbox: Inbox
) throws -> SIPTransportLayer {
    let layer = SIPTransportLayer(
        listeners: transports.map { ListenAddress(transport: $0, address: address(ip)) }, configuration: configuration)
    inbox.attach(layer)
    try layer.start()
    return layer
}

extension SIPTransportLayer {
    func bound(_ transport: TransportProtocol, _ ip: String = "127.0.0.1") -> SocketAddress {
        boundAddress(of: ListenAddress(transport: transport, address: address(ip)))!
    }
}

/// Waits for a descriptor to become readable (or writable) until the deadline.
func poll(_ fd: Int32, writable: Bool = false, seconds: Double = deadline) -> Bool {
    var p = pollfd(fd: fd, events: Int16(writable ? POLLOUT : POLLIN), revents: 0)
    return Glibc.poll(&p, 1, Int32(seconds * 1000)) == 1
}

/// A plain UDP socket standing in for a peer.
final class UDPPeer {
    let fd: Int32
    let local: SocketAddress

    init(ip: String = "127.0.0.1") throws {
        let a = address(ip)
        fd = try Syscall.socket(family: a.family, kind: .datagram)
        try Syscall.bind(fd, to: a)
        local = try Syscall.localAddress(fd)
    }

    deinit { Syscall.close(fd) }

    func send(_ text: String, to destination: SocketAddress) throws {
        try send(Array(text.utf8), to: destination)
    }

    func send(_ bytes: [UInt8], to destination: SocketAddress) throws {
        _ = try Syscall.sendto(fd, bytes, to: destination)
    }

    /// The next datagram, or nil at the deadline.
    func receive(seconds: Double = deadline) throws -> [UInt8]? {
        guard poll(fd, seconds: seconds) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let r = try buffer.withUnsafeMutableBytes { try Syscall.recvfrom(fd, into: $0) }
        guard let r else { return nil }
        return Array(buffer[0..<r.count])
    }

    func receiveText(seconds: Double = deadline) throws -> String? {
        try receive(seconds: seconds).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A plain TCP client socket standing in for a peer.
final class TCPPeer {
    let fd: Int32
    private(set) var local: SocketAddress

    init(connectingTo destination: SocketAddress, from ip: String? = nil) throws {
        fd = try Syscall.socket(family: destination.family, kind: .stream)
        if let ip { try Syscall.bind(fd, to: address(ip)) }
        if try !Syscall.connect(fd, to: destination) {
            guard poll(fd, writable: true) else { throw IOError(syscall: "connect", errno: ETIMEDOUT) }
            let e = try Syscall.pendingError(fd)
            if e != 0 { throw IOError(syscall: "connect", errno: e) }
        }
        local = try Syscall.localAddress(fd)
    }

    deinit { Syscall.close(fd) }

    /// Writes all of `bytes`, waiting for room until the deadline; false when the peer closed.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let r = bytes.withUnsafeBytes { b in
                Result { () throws(IOError) -> Int? in try Syscall.write(fd, UnsafeRawBufferPointer(rebasing: b[offset...])) }
            }
            switch r {
            case .failure: return false
            case .success(nil): guard poll(fd, writable: true) else { return false }
            case .success(let n?): offset += n
            }
        }
        return true
    }

    @discardableResult
    func write(_ text: String) -> Bool { write(Array(text.utf8)) }

    /// Reads until `done` says the bytes so far are enough, the peer closes, or the deadline.
    func read(seconds: Double = deadline, until done: ([UInt8]) -> Bool) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while !done(out) {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < end, poll(fd, seconds: Double(end - now) / 1e9) else { return (out, false) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let r = buffer.withUnsafeMutableBytes { b in Result { () throws(IOError) -> Int? in try Syscall.read(fd, into: b) } }
            switch r {
            case .failure: return (out, true)
            case .success(nil): continue
            case .success(0?): return (out, true)
            case .success(let n?): out += buffer[0..<n]
            }
        }
        return (out, false)
    }

    /// Reads until the peer closes (true) or the deadline (false), keeping what arrived.
    func readToEnd(seconds: Double = deadline) -> (bytes: [UInt8], closed: Bool) {
        read(seconds: seconds) { _ in false }
    }
}

extension [UInt8] {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// A request as a softphone would send it, with a Via sent-by and optional Via parameters.
func request(
    _ method: String = "OPTIONS", sentBy: String, transport: String = "UDP", viaParameters: String = "",
    callID: String = "a84b4c76e66710@pc33.example.com", cseq: Int = 314159, body: String = ""
) -> String {
    var text = "\(method) sip:bob@biloxi.example.com SIP/2.0\r\n"
    text += "Via: SIP/2.0/\(transport) \(sentBy);branch=z9hG4bK776asdhds\(viaParameters)\r\n"
    text += "Max-Forwards: 70\r\n"
    text += "To: Bob <sip:bob@biloxi.example.com>\r\n"
    text += "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    text += "Call-ID: \(callID)\r\n"
    text += "CSeq: \(cseq) \(method)\r\n"
    text += "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    if !body.isEmpty { text += "Content-Type: application/sdp\r\n" }
    text += "Content-Length: \(body.utf8.count)\r\n\r\n"
    text += body
    return text
}

let offer = """
    v=0\r
    o=alice 2890844526 2890844526 IN IP4 127.0.0.1\r
    s=-\r
    c=IN IP4 127.0.0.1\r
    t=0 0\r
    m=audio 49170 RTP/AVP 0\r
    a=rtpmap:0 PCMU/8000\r

    """
