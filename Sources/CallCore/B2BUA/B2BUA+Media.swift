import Media
import SIPCore
import SIPTransaction
import SIPTransport

/// The B2BUA's hooks into the media relay: the offer of leg B, the answer
/// to A, SDP of in-dialog requests, teardown and media timeouts. Without
/// `Settings.media`, bodies pass unchanged.
extension B2BUA {
    /// Puts the SDP for `target` into leg B's INVITE (sent toward `outbound`):
    /// anchored in the relay when the policy or the offer needs it, else
    /// only narrowed to the target's codecs.
    func applyMediaOffer(_ call: B2BUACall, target: B2BUATarget, toward outbound: OutboundTarget, invite: inout SIPMessage)
        throws(MediaAnchorError)
    {
        guard let settings = settings.media else { return }
        let policy = target.media
        let bRelay = settings.relayAddress(local: localAddress(toward: outbound)?.ip ?? outbound.address.ip)
        guard Self.isSDP(call.aInvite) else { return prepareLateOffer(call, policy: policy, settings: settings, bRelay: bRelay) }
        let offer = try MediaAnchor.parse(Array(call.aInvite.body))
        let body: [UInt8]
        if let anchor = call.media {
            try anchor.retarget(bRelay: bRelay, policy: policy)
            body = try anchor.offerToB(offer)
        } else if Self.needsAnchor(offer, policy: policy, source: call.aFlow.address.ip) {
            let aRelay = settings.relayAddress(local: localAddress(toward: call.aFlow)?.ip ?? call.aFlow.address.ip)
            let anchor = MediaAnchor(
                callID: call.id, sessionID: call.aDialog.callID, settings: settings, relay: mediaRelay, aRelay: aRelay, bRelay: bRelay,
                policy: policy, logger: logger, timeouts: mediaTimeouts)
            call.media = anchor
            body = try anchor.offerToB(offer)
            log(call, "media anchored", ["relay-a": "\(aRelay)", "relay-b": "\(bRelay)"])
        } else {
            guard !policy.allowedCodecs.isEmpty else { return }
            var filtered = offer
            do {
                try SDPCodecFilter(allowed: policy.allowedCodecs).apply(to: &filtered)
            } catch {
                throw .noCommonCodec
            }
            body = filtered.bytes
        }
        invite.setBody(body, contentType: "application/sdp")
        call.bOffer = (body, "application/sdp")
    }

    /// An INVITE without SDP (a late offer): when the relay must be in the
    /// path, the anchor is made now and takes B's offer when it comes
    /// (`mediaAnswer`). Under `whenNAT` the caller looks NATed when its
    /// Contact is a private address or not the address its INVITE came from.
    private func prepareLateOffer(_ call: B2BUACall, policy: MediaPolicy, settings: MediaSettings, bRelay: String) {
        // Failover: the next target makes its own offer, on fresh streams.
        releaseMedia(call)
        switch policy.relay {
        case .never: return
        case .always: break
        case .whenNAT:
            let source = call.aFlow.address.ip
            let contact = (try? call.aInvite.contact()).flatMap { contact -> String? in
                if case .addresses(let list) = contact { return list.first?.uri.host }
                return nil
            }
            guard let host = contact, host != source || Self.isPrivate(host) else { return }
        }
        let aRelay = settings.relayAddress(local: localAddress(toward: call.aFlow)?.ip ?? call.aFlow.address.ip)
        let anchor = MediaAnchor(
            callID: call.id, sessionID: call.aDialog.callID, settings: settings, relay: mediaRelay, aRelay: aRelay, bRelay: bRelay,
            policy: policy, logger: logger, timeouts: mediaTimeouts)
        anchor.awaitsLateAnswer = true
        call.media = anchor
        log(call, "media anchored for a late offer", ["relay-a": "\(aRelay)", "relay-b": "\(bRelay)"])
    }

    /// Leg B cannot be offered the caller's media: the next candidate may
    /// take it; with none left, A gets the error (488 for codecs, RFC 3264 6).
    func mediaRejected(_ call: B2BUACall, _ error: MediaAnchorError) {
        log(call, "media rejected", ["cause": "\(error)", "candidate": "\(call.candidate)"])
        noteAttemptStatus(call, error.status, error.reason)
        if call.candidate + 1 < call.request.candidates.count { return startNextCandidate(call) }
        respondToA(call, status: error.status, reason: error.reason)
        end(call)
    }

    /// The body A gets for a response of leg B's INVITE: B's answer
    /// rewritten for A when the call is anchored; nil when it cannot be used.
    func mediaAnswer(_ call: B2BUACall, _ response: SIPMessage) -> ArraySlice<UInt8>? {
        guard let anchor = call.media, Self.isSDP(response) else { return response.body }
        if anchor.awaitsLateAnswer { return lateOffer(call, anchor, response) }
        do {
            return ArraySlice(try anchor.answerToA(Array(response.body)))
        } catch {
            log(call, "media answer unusable", ["cause": "\(error)"])
            return nil
        }
    }

    /// B's late offer as A gets it: through the relay when it is plain RTP;
    /// else (SRTP, which needs the caller's keys to terminate) unchanged,
    /// the anchor released; nil when it cannot be used.
    private func lateOffer(_ call: B2BUACall, _ anchor: MediaAnchor, _ response: SIPMessage) -> ArraySlice<UInt8>? {
        let body = Array(response.body)
        guard let offer = try? MediaAnchor.parse(body), MediaAnchor.canRelayLateOffer(offer) else {
            log(call, "late offer not relayed: not plain RTP")
            releaseMedia(call)
            return response.body
        }
        do {
            return ArraySlice(try anchor.offerFromB(offer, body: body))
        } catch {
            log(call, "late offer unusable", ["cause": "\(error)"])
            return nil
        }
    }

    /// The body of an in-dialog request or response (or ACK) from `leg`,
    /// as the other leg gets it; nil when the SDP cannot be used there.
    func mediaRelayBody(_ call: B2BUACall, from leg: B2BUALeg, _ message: SIPMessage, isOffer: Bool) -> [UInt8]? {
        guard let anchor = call.media, Self.isSDP(message) else { return Array(message.body) }
        do {
            return try anchor.forward(Array(message.body), from: leg == .a ? .a : .b, isOffer: isOffer)
        } catch {
            log(call, "in-dialog SDP unusable", ["cause": "\(error)", "from": "\(leg)"])
            return nil
        }
    }

    /// The call ended: its relay ports go back to the pool, after one line
    /// with what the relay forwarded (of it, what the kernel forwarded) and
    /// dropped (by reason) for operators.
    func releaseMedia(_ call: B2BUACall) {
        guard let anchor = call.media else { return }
        var relayed = (aToB: 0, bToA: 0)
        var kernel = (aToB: 0, bToA: 0)
        var dropped: [String: Int] = [:]
        for stream in anchor.statistics() {
            relayed.aToB += stream.aToB.packets
            relayed.bToA += stream.bToA.packets
            kernel.aToB += stream.aToB.kernelPackets
            kernel.bToA += stream.bToA.kernelPackets
            for flow in [stream.aToB, stream.bToA] {
                for (reason, count) in flow.dropped { dropped[reason.description, default: 0] += count }
            }
        }
        let drops = dropped.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        logger.info(
            "media closed",
            metadata: [
                "call-id": "\(call.aDialog.callID)", "relayed-a-b": "\(relayed.aToB)", "relayed-b-a": "\(relayed.bToA)",
                "kernel-a-b": "\(kernel.aToB)", "kernel-b-a": "\(kernel.bToA)",
                "dropped": "\(drops.isEmpty ? "none" : drops)",
            ])
        anchor.close()
        call.media = nil
    }

    /// Calls whose media stopped (RFC 3550 has no keep-alive; silence for the
    /// configured time means the peer is gone): BYE on both legs.
    func handleMediaTimeouts() {
        for id in mediaTimeouts.take() {
            guard let call = calls[id], call.media != nil else { continue }
            log(call, "media timeout")
            call.ledger.cause = .mediaTimeout
            tearDown(call, legs: [.a, .b], reason: [("Reason", "SIP;cause=408;text=\"Media Timeout\"")])
        }
    }

    /// Whether the relay must be in the path: the policy says always, the
    /// caller looks NATed (under `whenNAT`), or the legs differ in codecs or SRTP.
    static func needsAnchor(_ offer: SessionDescription, policy: MediaPolicy, source: String) -> Bool {
        switch policy.relay {
        case .always: return true
        case .never: return false
        case .whenNAT: break
        }
        if policy.srtp != .off { return true }
        for media in offer.media where media.port != 0 && media.isRTP {
            if media.isSecureRTP || media.hasAttribute(named: "crypto") { return true }
            let address = media.effectiveConnection(in: offer)?.address ?? ""
            if address != source || isPrivate(address) { return true }
            let codecs = media.formats.compactMap { MediaAnchor.encodingName($0, in: media) }.filter { $0 != "telephone-event" }
            if !codecs.contains(where: policy.allows) { return true }
        }
        return false
    }

    /// RFC 1918, RFC 6598 (carrier-grade NAT), link-local and RFC 4193 unique local addresses.
    static func isPrivate(_ address: String) -> Bool {
        guard let parsed = SocketAddress(ip: address, port: 0) else { return false }
        let b = parsed.addressBytes
        if parsed.isIPv6 { return b[0] & 0xFE == 0xFC || (b[0] == 0xFE && b[1] & 0xC0 == 0x80) }
        return b[0] == 10 || (b[0] == 172 && b[1] & 0xF0 == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] & 0xC0 == 64)
            || (b[0] == 169 && b[1] == 254)
    }

    static func isSDP(_ message: SIPMessage) -> Bool {
        guard !message.body.isEmpty else { return false }
        let type = contentType(message)?.lowercased() ?? "application/sdp"
        return type.hasPrefix("application/sdp")
    }
}
