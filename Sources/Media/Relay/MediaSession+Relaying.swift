import Dispatch

extension MediaSession {
    /// Reads what a socket has, in bounded batches, then sends what was relayed.
    func readable(fd: Int32, stream index: Int, side: MediaLegSide, rtcpPort: Bool) {
        guard let stream = streams[index], !stream.closing else { return }
        for _ in 0..<8 {
            buffers.prepareReceive()
            let n: Int
            do {
                guard let received = try RelaySyscall.recvmmsg(fd, buffers.receiveHeaders, count: buffers.count) else { break }
                n = received
            } catch {
                logger.warning("media receive failed", metadata: ["session": "\(id)", "error": "\(error)"])
                break
            }
            let now = ContinuousClock.now
            for i in 0..<n {
                let d = buffers.received(i)
                guard let source = d.source else { continue }
                relay(d.bytes, truncated: d.truncated, from: source, stream: stream, side: side, rtcpPort: rtcpPort, now: now)
            }
            if n < buffers.count { break }
        }
        flush(stream.leg(side.other), stream: stream)
    }

    /// Checks, latches, transforms and queues one packet received on `side` for the other side.
    func relay(
        _ packet: [UInt8], truncated: Bool, from source: SocketAddress, stream: RelayStream, side: MediaLegSide,
        rtcpPort: Bool, now: ContinuousClock.Instant
    ) {
        let direction = RelayDirection(receivedOn: side)
        guard !truncated else { return stream.statistics[direction].drop(.truncated) }
        guard let kind = RelayPacket(packet), !(rtcpPort && !kind.isRTCP) else {
            return stream.statistics[direction].drop(.malformed)
        }
        let leg = stream.leg(side)
        let policy = configuration.latchPolicy
        let admitted: Bool
        switch kind {
        case .rtp(let ssrc, let sequence):
            admitted = leg.rtpLatch.admit(source: source, ssrc: ssrc, sequence: sequence, now: now, policy: policy)
        case .rtcp(let ssrc):
            if rtcpPort {
                admitted = leg.rtcpLatch.admit(source: source, ssrc: ssrc, sequence: nil, now: now, policy: policy)
            } else {
                // Muxed RTCP comes from the latched RTP source.
                admitted = leg.rtpLatch.latched == nil || leg.rtpLatch.latched == source
            }
        }
        guard admitted else { return stream.statistics[direction].drop(.unlatchedSource) }
        stream.statistics[direction].lastPacket = now

        var bytes = packet
        if let transform = stream.transform(direction) {
            let result = kind.isRTCP ? transform.transformRTCP(&bytes) : transform.transformRTP(&bytes)
            if case .drop(let reason) = result { return stream.statistics[direction].drop(.transform(reason)) }
        }
        let out = stream.leg(side.other)
        if kind.isRTCP {
            guard let destination = out.rtcpDestination else { return stream.statistics[direction].drop(.noDestination) }
            let datagram = RelayDatagram(bytes: bytes, destination: destination, stream: stream.mediaIndex, direction: direction)
            if out.rtcpMux { out.pendingRTP.append(datagram) } else { out.pendingRTCP.append(datagram) }
        } else {
            guard let destination = out.rtpLatch.destination else { return stream.statistics[direction].drop(.noDestination) }
            out.pendingRTP.append(RelayDatagram(bytes: bytes, destination: destination, stream: stream.mediaIndex, direction: direction))
        }
    }

    /// Sends a leg's queued datagrams with `sendmmsg`; what the kernel does not take now is dropped and counted.
    func flush(_ leg: RelayLeg, stream: RelayStream) {
        if !leg.pendingRTP.isEmpty {
            send(leg.pendingRTP, fd: leg.sockets.rtpDescriptor, stream: stream)
            leg.pendingRTP.removeAll(keepingCapacity: true)
        }
        if !leg.pendingRTCP.isEmpty {
            send(leg.pendingRTCP, fd: leg.sockets.rtcpDescriptor, stream: stream)
            leg.pendingRTCP.removeAll(keepingCapacity: true)
        }
    }

    private func send(_ datagrams: [RelayDatagram], fd: Int32, stream: RelayStream) {
        var next = 0
        while next < datagrams.count {
            let placed = buffers.prepareSend(datagrams[next...])
            let sent: Int
            do {
                guard let n = try RelaySyscall.sendmmsg(fd, buffers.sendHeaders, count: placed) else {
                    for d in datagrams[next...] { stream.statistics[d.direction].drop(.sendBufferFull) }
                    return
                }
                sent = n
            } catch {
                // The datagram at the head failed (no route, too large): count it, go on.
                stream.statistics[datagrams[next].direction].drop(.sendFailed)
                logger.debug("media send failed", metadata: ["session": "\(id)", "target": "\(datagrams[next].destination)", "error": "\(error)"])
                next += 1
                continue
            }
            for d in datagrams[next..<(next + sent)] {
                let isRTCP = RelayPacket(d.bytes)?.isRTCP ?? false
                if isRTCP {
                    stream.statistics[d.direction].rtcpPackets += 1
                    stream.statistics[d.direction].rtcpBytes += d.bytes.count
                } else {
                    stream.statistics[d.direction].packets += 1
                    stream.statistics[d.direction].bytes += d.bytes.count
                }
            }
            next += max(sent, 0)
            if sent == 0 { break }
        }
    }
}
