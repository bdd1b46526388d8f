extension RelayShard {
    /// Receives what one socket of `side` of `stream` has (in bounded `recvmmsg` batches), checks,
    /// latches and transforms each packet where it was received, and sends the batch on from the
    /// same memory with `sendmmsg`. Nothing is allocated per packet.
    func relay(fd: Int32, stream: RelayStream, side: MediaLegSide, rtcpPort: Bool, now: ContinuousClock.Instant) {
        let buffers = self.buffers
        let direction = RelayDirection(receivedOn: side)
        let inbound = stream.leg(side)
        let outbound = stream.leg(side.other)
        let transform = stream.transform(direction)
        let policy = stream.latchPolicy
        let kernel = kernelForwarder
        let latchedBefore = inbound.rtpLatch.latched
        // A new source beside a kernel rule is judged against the stream as the kernel last forwarded it.
        var kernelSynced = kernel == nil || rtcpPort || stream.kernelRule(direction) == nil
        defer {
            if let kernel, inbound.rtpLatch.latched != latchedBefore {
                stream.updateKernelRules(kernel, now: now, logger: logger)
            }
        }
        for _ in 0..<4 {
            buffers.prepareReceive()
            let received: Int
            do throws(MediaIOError) {
                guard let n = try RelaySyscall.recvmmsg(fd, buffers.headers, count: buffers.count) else { return }
                received = n
            } catch {
                logger.warning("media receive failed", metadata: ["stream": "\(stream.mediaIndex)", "error": "\(error)"])
                return
            }
            var queued = 0
            var queuedFD: Int32 = -1
            var touched = false
            for i in 0..<received {
                guard !buffers.isTruncated(i) else {
                    stream.drop(.truncated, direction)
                    continue
                }
                let slot = buffers.slot(i)
                let length = buffers.receivedLength(i)
                guard let kind = RelayPacket(UnsafeRawBufferPointer(start: slot, count: length)), !(rtcpPort && !kind.isRTCP)
                else {
                    stream.drop(.malformed, direction)
                    continue
                }
                guard let source = RelayEndpoint(storage: buffers.sourceName(i)) else { continue }
                let admitted: Bool
                switch kind {
                case .rtp(let ssrc, let sequence):
                    if !kernelSynced, let kernel, source != inbound.rtpLatch.latched {
                        stream.syncKernelCounters(kernel, direction, now: now)
                        kernelSynced = true
                    }
                    admitted = inbound.rtpLatch.admit(source: source, ssrc: ssrc, sequence: sequence, now: now, policy: policy)
                case .rtcp(let ssrc):
                    if rtcpPort {
                        admitted = inbound.rtcpLatch.admit(source: source, ssrc: ssrc, sequence: nil, now: now, policy: policy)
                    } else {
                        // Muxed RTCP comes from the latched RTP source.
                        let latched = inbound.rtpLatch.latched
                        admitted = latched == nil || latched == source
                    }
                }
                guard admitted else {
                    stream.drop(.unlatchedSource, direction)
                    continue
                }
                touched = true

                var packet = MediaPacketBuffer(base: slot, count: length, capacity: buffers.slotCapacity)
                if let transform {
                    let result = kind.isRTCP ? transform.transformRTCP(&packet) : transform.transformRTP(&packet)
                    if case .drop(let reason) = result {
                        stream.drop(.transform(reason), direction)
                        continue
                    }
                }
                let destination = kind.isRTCP ? outbound.rtcpDestination : outbound.rtpLatch.destination
                guard let destination else {
                    stream.drop(.noDestination, direction)
                    continue
                }
                let outFD = kind.isRTCP ? outbound.rtcpDescriptor : outbound.sockets.rtpDescriptor
                if queued > 0, outFD != queuedFD {
                    send(queued, fd: queuedFD, stream: stream, direction: direction)
                    queued = 0
                }
                queuedFD = outFD
                let nameLength = destination.write(to: buffers.sendName(queued))
                buffers.setSend(queued, bytes: slot, length: packet.count, nameLength: nameLength)
                sendIsRTCP[queued] = kind.isRTCP
                queued += 1
            }
            if touched { stream.received(direction, at: now) }
            if queued > 0 { send(queued, fd: queuedFD, stream: stream, direction: direction) }
            if received < buffers.count { return }
        }
    }

    /// Sends the first `count` entries of the send vector on `fd`; what the kernel does not take now is
    /// dropped and counted (real-time media is not queued).
    private func send(_ count: Int, fd: Int32, stream: RelayStream, direction: RelayDirection) {
        var next = 0
        while next < count {
            let sent: Int
            do throws(MediaIOError) {
                guard let n = try RelaySyscall.sendmmsg(fd, buffers.sendHeaders + next, count: count - next) else {
                    for _ in next..<count { stream.drop(.sendBufferFull, direction) }
                    return
                }
                sent = n
            } catch {
                // The datagram at the head failed (no route, too large): count it, go on.
                stream.drop(.sendFailed, direction)
                logger.debug("media send failed", metadata: ["stream": "\(stream.mediaIndex)", "error": "\(error)"])
                next += 1
                continue
            }
            for k in next..<(next + sent) {
                stream.sent(direction, bytes: buffers.sendLength(k), rtcp: sendIsRTCP[k])
            }
            guard sent > 0 else { return }
            next += sent
        }
    }
}
