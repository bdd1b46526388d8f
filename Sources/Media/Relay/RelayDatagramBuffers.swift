#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// Preallocated `recvmmsg`/`sendmmsg` vectors shared by every socket of one
/// session: `count` slots of `slotSize` bytes for receiving, and as many for
/// sending. Confined to the session's queue.
final class RelayDatagramBuffers {
    let count: Int
    let slotSize: Int
    private let receiveStorage: UnsafeMutableRawPointer
    private let receiveIovecs: UnsafeMutablePointer<iovec>
    private let receiveNames: UnsafeMutablePointer<sockaddr_storage>
    let receiveHeaders: UnsafeMutablePointer<sb_mmsghdr>
    private let sendStorage: UnsafeMutableRawPointer
    private let sendIovecs: UnsafeMutablePointer<iovec>
    private let sendNames: UnsafeMutablePointer<sockaddr_storage>
    let sendHeaders: UnsafeMutablePointer<sb_mmsghdr>

    init(count: Int, slotSize: Int) {
        self.count = max(1, count)
        self.slotSize = max(256, slotSize)
        receiveStorage = .allocate(byteCount: self.count * self.slotSize, alignment: 16)
        receiveIovecs = .allocate(capacity: self.count)
        receiveNames = .allocate(capacity: self.count)
        receiveHeaders = .allocate(capacity: self.count)
        sendStorage = .allocate(byteCount: self.count * self.slotSize, alignment: 16)
        sendIovecs = .allocate(capacity: self.count)
        sendNames = .allocate(capacity: self.count)
        sendHeaders = .allocate(capacity: self.count)
        for i in 0..<self.count {
            receiveIovecs[i] = iovec(iov_base: receiveStorage + i * self.slotSize, iov_len: self.slotSize)
            receiveNames[i] = sockaddr_storage()
            receiveHeaders[i] = sb_mmsghdr()
            sendIovecs[i] = iovec()
            sendNames[i] = sockaddr_storage()
            sendHeaders[i] = sb_mmsghdr()
        }
    }

    deinit {
        receiveStorage.deallocate()
        receiveIovecs.deallocate()
        receiveNames.deallocate()
        receiveHeaders.deallocate()
        sendStorage.deallocate()
        sendIovecs.deallocate()
        sendNames.deallocate()
        sendHeaders.deallocate()
    }

    /// Resets the receive headers before a `recvmmsg` call (the kernel overwrites lengths and flags).
    func prepareReceive() {
        for i in 0..<count {
            receiveHeaders[i].msg_hdr.msg_name = UnsafeMutableRawPointer(receiveNames + i)
            receiveHeaders[i].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            receiveHeaders[i].msg_hdr.msg_iov = receiveIovecs + i
            receiveHeaders[i].msg_hdr.msg_iovlen = 1
            receiveHeaders[i].msg_hdr.msg_control = nil
            receiveHeaders[i].msg_hdr.msg_controllen = 0
            receiveHeaders[i].msg_hdr.msg_flags = 0
            receiveHeaders[i].msg_len = 0
        }
    }

    /// The `i`th received datagram: its bytes, source, and whether the kernel cut it short.
    func received(_ i: Int) -> (bytes: [UInt8], source: SocketAddress?, truncated: Bool) {
        let length = min(Int(receiveHeaders[i].msg_len), slotSize)
        let bytes = [UInt8](UnsafeRawBufferPointer(start: receiveStorage + i * slotSize, count: length))
        let truncated = receiveHeaders[i].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0
        return (bytes, SocketAddress(storage: receiveNames + i), truncated)
    }

    /// Fills the send vectors with up to `count` datagrams; returns how many were placed.
    /// A datagram larger than a slot is never queued (the receive side drops it as truncated).
    func prepareSend(_ datagrams: ArraySlice<RelayDatagram>) -> Int {
        var placed = 0
        for d in datagrams.prefix(count) {
            let slot = sendStorage + placed * slotSize
            let length = min(d.bytes.count, slotSize)
            d.bytes.withUnsafeBytes { b in
                if let base = b.baseAddress { slot.copyMemory(from: base, byteCount: length) }
            }
            sendIovecs[placed] = iovec(iov_base: slot, iov_len: length)
            let nameLength = d.destination.withSockAddr { sa, len -> socklen_t in
                UnsafeMutableRawPointer(sendNames + placed).copyMemory(from: sa, byteCount: Int(len))
                return len
            }
            sendHeaders[placed] = sb_mmsghdr()
            sendHeaders[placed].msg_hdr.msg_name = UnsafeMutableRawPointer(sendNames + placed)
            sendHeaders[placed].msg_hdr.msg_namelen = nameLength
            sendHeaders[placed].msg_hdr.msg_iov = sendIovecs + placed
            sendHeaders[placed].msg_hdr.msg_iovlen = 1
            placed += 1
        }
        return placed
    }
}

/// A packet waiting to leave one relay socket.
struct RelayDatagram {
    var bytes: [UInt8]
    var destination: SocketAddress
    /// Where its counters go when it fails to leave.
    var stream: Int
    var direction: RelayDirection
}
