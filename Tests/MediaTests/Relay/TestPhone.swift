#if canImport(Glibc)
import Glibc
#endif
import Dispatch
@testable import Media

/// A plain UDP socket standing in for a phone or an attacker: sends
/// datagrams and waits a bounded time for one.
final class TestPhone {
    let fd: Int32
    let address: SocketAddress

    init(ip: String = "127.0.0.1") throws {
        let fd = try RelaySyscall.boundDatagramSocket(SocketAddress(ip: ip, port: 0)!, bufferSize: 0)
        self.fd = fd
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        address = SocketAddress(storage: &storage)!
    }

    deinit { RelaySyscall.close(fd) }

    func send(_ bytes: [UInt8], to destination: SocketAddress) {
        _ = bytes.withUnsafeBytes { b in
            destination.withSockAddr { sendto(fd, b.baseAddress, b.count, 0, $0, $1) }
        }
    }

    /// The next datagram and its source, or nil after `milliseconds`.
    func receive(within milliseconds: Int32 = 2000) -> (bytes: [UInt8], source: SocketAddress)? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let n = buffer.withUnsafeMutableBytes { b in
            withUnsafeMutablePointer(to: &storage) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, b.baseAddress, b.count, 0, $0, &len) }
            }
        }
        guard n >= 0, let source = SocketAddress(storage: &storage) else { return nil }
        return (Array(buffer.prefix(n)), source)
    }

    /// Receives until nothing arrives for `milliseconds`; how many came.
    func drain(quietFor milliseconds: Int32 = 200) -> Int {
        var count = 0
        while count < 10_000, receive(within: milliseconds) != nil { count += 1 }
        return count
    }
}

/// An RTP packet (RFC 3550 5.1) with PCMU payload.
func rtpPacket(ssrc: UInt32, sequence: UInt16, payloadType: UInt8 = 0, payload: Int = 160) -> [UInt8] {
    var bytes: [UInt8] = [0x80, payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0, 160]
    bytes += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
    bytes += [UInt8](repeating: 0xFF, count: payload)
    return bytes
}

/// An empty RTCP receiver report (RFC 3550 6.4.2).
func rtcpReceiverReport(ssrc: UInt32) -> [UInt8] {
    [0x80, 201, 0, 1, UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
}

/// A port range of `pairs` pairs at a random even base in 20000-29999, so parallel runs rarely meet
/// (and when they do, the pool skips ports in use). Below Linux's ephemeral ports (32768-60999),
/// which any socket bound to port 0 may take, and the relay's default range (30000-39999), which
/// the servers of the interop tests use.
func testPortRange(pairs: Int) -> ClosedRange<UInt16> {
    let base = UInt16(20000 + 2 * Int.random(in: 0..<(5_000 - pairs)))
    return base...(base + UInt16(2 * pairs - 1))
}
