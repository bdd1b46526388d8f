#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// Preallocated `recvmmsg`/`sendmmsg` vectors of one UDP socket: `count`
/// receive buffers of 64 KiB each, their addresses, and a scratch area that
/// outgoing datagrams are copied into for one `sendmmsg` call.
/// Confined to its socket's queue.
final class DatagramBuffers {
    static let datagramSize = 65_536
    let count: Int
    private let storage: UnsafeMutableRawPointer
    private let iovecs: UnsafeMutablePointer<iovec>
    private let names: UnsafeMutablePointer<sockaddr_storage>
    let headers: UnsafeMutablePointer<sb_mmsghdr>
    private let sendIovecs: UnsafeMutablePointer<iovec>
    private let sendNames: UnsafeMutablePointer<sockaddr_storage>
    let sendHeaders: UnsafeMutablePointer<sb_mmsghdr>
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity: Int

    init(count: Int) {
        self.count = max(1, count)
        storage = .allocate(byteCount: self.count * Self.datagramSize, alignment: 16)
        iovecs = .allocate(capacity: self.count)
        names = .allocate(capacity: self.count)
        headers = .allocate(capacity: self.count)
        sendIovecs = .allocate(capacity: self.count)
        sendNames = .allocate(capacity: self.count)
        sendHeaders = .allocate(capacity: self.count)
        scratchCapacity = 64 * 1024
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        for i in 0..<self.count {
            iovecs[i] = iovec(iov_base: storage + i * Self.datagramSize, iov_len: Self.datagramSize)
            names[i] = sockaddr_storage()
            headers[i] = sb_mmsghdr()
            sendIovecs[i] = iovec()
            sendNames[i] = sockaddr_storage()
            sendHeaders[i] = sb_mmsghdr()
        }
    }

    deinit {
        storage.deallocate()
        iovecs.deallocate()
        names.deallocate()
        headers.deallocate()
        sendIovecs.deallocate()
        sendNames.deallocate()
        sendHeaders.deallocate()
        scratch.deallocate()
    }

    /// Resets the receive headers before a `recvmmsg` call (the kernel overwrites lengths and flags).
    func prepareReceive() {
        for i in 0..<count {
            headers[i].msg_hdr.msg_name = UnsafeMutableRawPointer(names + i)
            headers[i].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[i].msg_hdr.msg_iov = iovecs + i
            headers[i].msg_hdr.msg_iovlen = 1
            headers[i].msg_hdr.msg_control = nil
            headers[i].msg_hdr.msg_controllen = 0
            headers[i].msg_hdr.msg_flags = 0
            headers[i].msg_len = 0
        }
    }

    /// The `i`th received datagram: its bytes, source, and whether the kernel cut it short.
    func received(_ i: Int) -> (bytes: [UInt8], source: SocketAddress?, truncated: Bool) {
        let length = Int(headers[i].msg_len)
        let bytes = [UInt8](UnsafeRawBufferPointer(start: storage + i * Self.datagramSize, count: min(length, Self.datagramSize)))
        let source = SocketAddress(storage: names + i)
        let truncated = headers[i].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0
        return (bytes, source, truncated)
    }

    /// Fills the send vectors with `datagrams` (at most `count`), copying their bytes into the scratch area.
    func prepareSend(_ datagrams: ArraySlice<OutgoingDatagram>) {
        let total = datagrams.reduce(0) { $0 + $1.bytes.count }
        if total > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = total
            scratch = .allocate(byteCount: total, alignment: 16)
        }
        var offset = 0
        for (i, d) in datagrams.enumerated() {
            d.bytes.withUnsafeBytes { b in
                if let base = b.baseAddress { (scratch + offset).copyMemory(from: base, byteCount: b.count) }
            }
            sendIovecs[i] = iovec(iov_base: scratch + offset, iov_len: d.bytes.count)
            offset += d.bytes.count
            let nameLength = d.destination.withSockAddr { sa, len -> socklen_t in
                UnsafeMutableRawPointer(sendNames + i).copyMemory(from: sa, byteCount: Int(len))
                return len
            }
            sendHeaders[i] = sb_mmsghdr()
            sendHeaders[i].msg_hdr.msg_name = UnsafeMutableRawPointer(sendNames + i)
            sendHeaders[i].msg_hdr.msg_namelen = nameLength
            sendHeaders[i].msg_hdr.msg_iov = sendIovecs + i
            sendHeaders[i].msg_hdr.msg_iovlen = 1
        }
    }
}

/// A datagram waiting to be sent.
struct OutgoingDatagram {
    var bytes: [UInt8]
    var destination: SocketAddress
}
