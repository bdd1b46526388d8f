#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A UDP socket on a loopback address standing in for a phone's or a
/// carrier's RTP port: sends datagrams and waits a bounded time for one.
final class MediaTestPhone {
    let fd: Int32
    let ip: String
    let port: UInt16

    init(ip: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw PhoneError.socket(errno) }
        var address = Self.socketAddress(ip: ip, port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw PhoneError.bind(errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.ip = ip
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }

    enum PhoneError: Error { case socket(Int32), bind(Int32) }

    static func socketAddress(ip: String, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        _ = inet_pton(AF_INET, ip, &address.sin_addr)
        return address
    }

    func send(_ bytes: [UInt8], to ip: String, port: UInt16) {
        var address = Self.socketAddress(ip: ip, port: port)
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next datagram and the port it came from, or nil after `milliseconds`.
    func receive(within milliseconds: Int32 = 2000) -> (bytes: [UInt8], sourcePort: UInt16)? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var source = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length) }
            }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer.prefix(count)), UInt16(bigEndian: source.sin_port))
    }
}

/// An RTP packet (RFC 3550 5.1) with `payload` bytes of 0xFF (G.711 silence-ish).
func rtpPacket(ssrc: UInt32, sequence: UInt16, payloadType: UInt8 = 0, timestamp: UInt32 = 160, payload: [UInt8] = [UInt8](repeating: 0xFF, count: 160))
    -> [UInt8]
{
    var bytes: [UInt8] = [0x80, payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
    bytes += [UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF)]
    bytes += [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
    return bytes + payload
}
