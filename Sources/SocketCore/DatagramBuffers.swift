#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// Preallocated `recvmmsg`/`sendmmsg` vectors, shared by the UDP listeners
/// and the media relay: `count` receive slots of `slotSize` bytes, each
/// followed by `headroom` bytes a packet may grow into when it is rewritten
/// in place (an SRTP tag), the slots' source addresses, and send vectors that
/// point either into a receive slot (a packet relayed where it was received)
/// or into a scratch area that outgoing arrays are copied to.
///
/// A socket that only sends takes the send-only form (`init(sendingOnly:)`):
/// send headers, iovecs, names and the scratch area, no receive slots.
/// Confined to its owner's queue.
public final class DatagramBuffers {
    /// Messages per `recvmmsg`/`sendmmsg` call.
    public let count: Int
    /// Receive slots: `count`, or none in the send-only form.
    public let receiveCount: Int
    /// Bytes a datagram may have; longer ones are received truncated.
    public let slotSize: Int
    /// Bytes after each slot's `slotSize` that an in-place rewrite may use.
    public let headroom: Int
    @usableFromInline let stride: Int
    @usableFromInline let storage: UnsafeMutableRawPointer
    private let iovecs: UnsafeMutablePointer<iovec>
    @usableFromInline let names: UnsafeMutablePointer<sockaddr_storage>
    /// The receive vector for `recvmmsg`.
    public let headers: UnsafeMutablePointer<sb_mmsghdr>
    @usableFromInline let sendIovecs: UnsafeMutablePointer<iovec>
    @usableFromInline let sendNames: UnsafeMutablePointer<sockaddr_storage>
    /// The send vector for `sendmmsg`.
    public let sendHeaders: UnsafeMutablePointer<sb_mmsghdr>
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity: Int

    /// Receive slots and send vectors for `count` datagrams a call.
    public convenience init(count: Int, slotSize: Int = 65_536, headroom: Int = 0) {
        self.init(count: count, receiving: true, slotSize: slotSize, headroom: headroom)
    }

    /// Send vectors for `count` datagrams a call and no receive slots: a few
    /// hundred bytes a datagram and the scratch area, not `count` × 64 KiB.
    public convenience init(sendingOnly count: Int) {
        self.init(count: count, receiving: false, slotSize: 256, headroom: 0)
    }

    private init(count: Int, receiving: Bool, slotSize: Int, headroom: Int) {
        self.count = max(1, count)
        receiveCount = receiving ? self.count : 0
        self.slotSize = max(256, slotSize)
        self.headroom = max(0, headroom)
        stride = (self.slotSize + self.headroom + 15) & ~15
        storage = .allocate(byteCount: receiveCount * stride, alignment: 16)
        iovecs = .allocate(capacity: receiveCount)
        names = .allocate(capacity: receiveCount)
        headers = .allocate(capacity: receiveCount)
        sendIovecs = .allocate(capacity: self.count)
        sendNames = .allocate(capacity: self.count)
        sendHeaders = .allocate(capacity: self.count)
        scratchCapacity = 64 * 1024
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        for i in 0..<receiveCount {
            iovecs[i] = iovec(iov_base: storage + i * stride, iov_len: self.slotSize)
            names[i] = sockaddr_storage()
            headers[i] = sb_mmsghdr()
            headers[i].msg_hdr.msg_name = UnsafeMutableRawPointer(names + i)
            headers[i].msg_hdr.msg_iov = iovecs + i
            headers[i].msg_hdr.msg_iovlen = 1
        }
        for i in 0..<self.count {
            sendIovecs[i] = iovec()
            sendNames[i] = sockaddr_storage()
            sendHeaders[i] = sb_mmsghdr()
            sendHeaders[i].msg_hdr.msg_name = UnsafeMutableRawPointer(sendNames + i)
            sendHeaders[i].msg_hdr.msg_iov = sendIovecs + i
            sendHeaders[i].msg_hdr.msg_iovlen = 1
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

    /// Resets what the kernel overwrites in the receive vector (address lengths, flags) before a `recvmmsg`.
    public func prepareReceive() {
        for i in 0..<receiveCount {
            headers[i].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[i].msg_hdr.msg_control = nil
            headers[i].msg_hdr.msg_controllen = 0
            headers[i].msg_hdr.msg_flags = 0
            headers[i].msg_len = 0
        }
    }

    // MARK: received datagrams, in place

    /// The `i`th receive slot: `slotSize` received bytes at most, `slotSize + headroom` writable.
    @inlinable
    public func slot(_ i: Int) -> UnsafeMutableRawPointer { storage + i * stride }

    /// Bytes a rewrite in place may leave in a slot.
    @inlinable
    public var slotCapacity: Int { slotSize + headroom }

    /// Length of the `i`th received datagram (at most `slotSize`).
    @inlinable
    public func receivedLength(_ i: Int) -> Int { min(Int(headers[i].msg_len), slotSize) }

    /// Whether the kernel cut the `i`th datagram to fit its slot.
    @inlinable
    public func isTruncated(_ i: Int) -> Bool { headers[i].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0 }

    /// Where the `i`th datagram came from, as the kernel wrote it.
    @inlinable
    public func sourceName(_ i: Int) -> UnsafePointer<sockaddr_storage> { UnsafePointer(names + i) }

    /// The `i`th received datagram copied out: its bytes, source, and whether the kernel cut it short.
    public func received(_ i: Int) -> (bytes: [UInt8], source: SocketAddress?, truncated: Bool) {
        let bytes = [UInt8](UnsafeRawBufferPointer(start: slot(i), count: receivedLength(i)))
        return (bytes, SocketAddress(storage: names + i), isTruncated(i))
    }

    // MARK: sending

    /// Points send message `k` at `length` bytes at `bytes` (a receive slot, sent without a copy);
    /// its destination is what ``sendName(_:)`` holds, `nameLength` bytes of it.
    @inlinable
    public func setSend(_ k: Int, bytes: UnsafeMutableRawPointer, length: Int, nameLength: socklen_t) {
        sendIovecs[k] = iovec(iov_base: bytes, iov_len: length)
        sendHeaders[k].msg_hdr.msg_namelen = nameLength
        sendHeaders[k].msg_hdr.msg_flags = 0
        sendHeaders[k].msg_len = 0
    }

    /// Bytes send message `k` carries.
    @inlinable
    public func sendLength(_ k: Int) -> Int { sendIovecs[k].iov_len }

    /// Where send message `k`'s destination address is written.
    @inlinable
    public func sendName(_ k: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(sendNames + k) }

    /// Fills the send vector with `datagrams` (at most `count`), copying their bytes into the scratch area.
    public func prepareSend(_ datagrams: ArraySlice<OutgoingDatagram>) {
        let total = datagrams.reduce(0) { $0 + $1.bytes.count }
        if total > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = total
            scratch = .allocate(byteCount: total, alignment: 16)
        }
        var offset = 0
        for (k, d) in datagrams.prefix(count).enumerated() {
            d.bytes.withUnsafeBytes { b in
                if let base = b.baseAddress { (scratch + offset).copyMemory(from: base, byteCount: b.count) }
            }
            let nameLength = d.destination.withSockAddr { sa, len -> socklen_t in
                sendName(k).copyMemory(from: sa, byteCount: Int(len))
                return len
            }
            setSend(k, bytes: scratch + offset, length: d.bytes.count, nameLength: nameLength)
            offset += d.bytes.count
        }
    }
}

/// A datagram waiting to be sent.
public struct OutgoingDatagram: Sendable {
    public var bytes: [UInt8]
    public var destination: SocketAddress

    public init(bytes: [UInt8], destination: SocketAddress) {
        self.bytes = bytes
        self.destination = destination
    }
}
