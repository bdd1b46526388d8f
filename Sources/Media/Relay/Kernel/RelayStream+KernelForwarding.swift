import Logging

/// A rule installed for one direction of a stream, and how much of its counters is folded in.
struct InstalledKernelRule {
    var rule: KernelForwardingRule
    var folded = KernelFlowCounters()
}

extension RelayStream {
    func kernelRule(_ direction: RelayDirection) -> InstalledKernelRule? {
        direction == .aToB ? kernelAToB : kernelBToA
    }

    private func setKernelRule(_ direction: RelayDirection, _ rule: InstalledKernelRule?) {
        if direction == .aToB { kernelAToB = rule } else { kernelBToA = rule }
    }

    /// The endpoints of the rule `direction` may have now, or nil when it stays in user space: it
    /// has a transform (SRTP, transcoding), its inbound side is not latched, its outbound side has
    /// no destination (no SDP, hold), or the stream is closing.
    private func kernelEndpoints(_ direction: RelayDirection) -> (local: RelayEndpoint, source: RelayEndpoint, outbound: RelayEndpoint, destination: RelayEndpoint)? {
        guard !closing, transform(direction) == nil else { return nil }
        let side: MediaLegSide = direction == .aToB ? .a : .b
        let inbound = leg(side)
        let outbound = leg(side.other)
        guard inbound.isOpen, outbound.isOpen, let source = inbound.rtpLatch.latched, let destination = outbound.rtpLatch.destination
        else { return nil }
        return (inbound.localRTP, source, outbound.localRTP, destination)
    }

    /// Brings both directions' kernel rules in line with the latches, destinations and transforms:
    /// a rule whose endpoints changed is removed (its last counts folded in) and the new one
    /// installed; a direction that may not be forwarded in the kernel loses its rule.
    func updateKernelRules(_ kernel: KernelForwarder, now: ContinuousClock.Instant, logger: Logger) {
        for direction in RelayDirection.allCases {
            let wanted = kernelEndpoints(direction)
            if let installed = kernelRule(direction) {
                let r = installed.rule
                if let wanted, wanted == (r.local, r.source, r.outbound, r.destination) { continue }
                if let counters = kernel.remove(r.key) { fold(counters, direction, now: now) }
                setKernelRule(direction, nil)
            }
            guard let wanted else { continue }
            let route = RelaySyscall.route(to: wanted.destination, from: wanted.outbound)
            guard
                let rule = KernelForwardingRule(
                    local: wanted.local, source: wanted.source, outbound: wanted.outbound, destination: wanted.destination,
                    deliverLocally: route?.isLocal ?? RelaySyscall.isLocalIPv4(wanted.destination),
                    egressInterface: route?.interface ?? 0)
            else { continue }
            do throws(MediaIOError) {
                try kernel.install(rule)
                setKernelRule(direction, InstalledKernelRule(rule: rule))
            } catch {
                logger.debug(
                    "media stays in user space: kernel rule refused",
                    metadata: ["stream": "\(mediaIndex)", "direction": "\(direction)", "error": "\(error)"])
            }
        }
    }

    /// Reads what the kernel forwarded for `direction` (or both) and folds it into the counters and the latch.
    func syncKernelCounters(_ kernel: KernelForwarder, _ only: RelayDirection? = nil, now: ContinuousClock.Instant) {
        for direction in RelayDirection.allCases where only == nil || only == direction {
            guard let installed = kernelRule(direction), let counters = kernel.counters(installed.rule.key) else { continue }
            fold(counters, direction, now: now)
        }
    }

    /// Adds the kernel's counts since the last fold to the direction's counters; the last packet's
    /// time counts as activity (media timeout) and its SSRC and sequence number move the latch on.
    private func fold(_ counters: KernelFlowCounters, _ direction: RelayDirection, now: ContinuousClock.Instant) {
        guard var installed = kernelRule(direction) else { return }
        let packets = Int(counters.packets &- installed.folded.packets)
        let bytes = Int(counters.bytes &- installed.folded.bytes)
        installed.folded = counters
        setKernelRule(direction, installed)
        guard packets > 0 else { return }
        let boot = RelaySyscall.bootTimeNanoseconds()
        let age = boot > counters.lastPacketBootNanoseconds ? boot - counters.lastPacketBootNanoseconds : 0
        let at = now - .nanoseconds(Int64(clamping: age))
        var flow = direction == .aToB ? aToB : bToA
        flow.packets += packets
        flow.bytes += bytes
        flow.kernelPackets += packets
        flow.kernelBytes += bytes
        flow.lastPacket = max(flow.lastPacket ?? at, at)
        if direction == .aToB { aToB = flow } else { bToA = flow }
        let side: MediaLegSide = direction == .aToB ? .a : .b
        leg(side).rtpLatch.forwarded(ssrc: counters.lastSSRC, sequence: counters.lastSequence, at: at)
    }
}
