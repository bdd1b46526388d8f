extension CaptureFile {
    /// Every UDP datagram and every TCP stream chunk of the capture, in capture order.
    ///
    /// Packets that cannot be decoded (cut short by the snap length, unknown
    /// link type, corrupt headers) are passed to `skipped` with their index and
    /// left out, the way a protocol analyser shows them as malformed and goes on.
    public func transportPayloads(
        skipped: (_ packetIndex: Int, _ error: CaptureError) -> Void = { _, _ in }
    ) -> [TransportPayload] {
        var decoder = PacketDecoder()
        var reassembler = TCPReassembler()
        var payloads: [TransportPayload] = []
        for (index, packet) in packets.enumerated() {
            let decoded: DecodedPacket?
            do {
                decoded = try decoder.decode(packet)
            } catch {
                skipped(index, error)
                continue
            }
            switch decoded {
            case .udp(let datagram):
                payloads.append(
                    .udp(
                        source: datagram.source,
                        destination: datagram.destination,
                        payload: datagram.payload,
                        time: datagram.timestamp
                    )
                )
            case .tcp(let segment):
                payloads.append(contentsOf: reassembler.append(segment))
            case nil:
                break
            }
        }
        payloads.append(contentsOf: reassembler.finish(time: packets.last?.timestamp))
        return payloads
    }

    /// Every packet decoded to a UDP datagram or TCP segment, skipping the rest.
    public func decodedPackets(
        skipped: (_ packetIndex: Int, _ error: CaptureError) -> Void = { _, _ in }
    ) -> [DecodedPacket] {
        var decoder = PacketDecoder()
        var decoded: [DecodedPacket] = []
        for (index, packet) in packets.enumerated() {
            do {
                if let value = try decoder.decode(packet) {
                    decoded.append(value)
                }
            } catch {
                skipped(index, error)
            }
        }
        return decoded
    }
}
