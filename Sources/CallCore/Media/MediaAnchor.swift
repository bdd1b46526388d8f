import Dispatch
import Logging
import Media
import SIPCore

/// The media relay of one bridged call: the caller's leg (A) and the
/// target's leg (B) each see only the relay's address and ports in SDP,
/// and the relay converts between them where the legs differ (codec,
/// SRTP). Built on the A-leg offer; kept across failover (the A-side ports
/// stay, the B side is negotiated again for the next target); closed when the call ends.
///
/// Confined to the shard's queue like the call that owns it. The
/// `MediaSession` runs on its relay shard's queue: every call into it goes
/// through `session.relay` (synchronously for set-up, which is not the packet path).
final class MediaAnchor {
    let callID: UInt64
    let session: MediaSession
    let settings: MediaSettings
    /// The relay address written into SDP sent to each leg (and bound for its sockets).
    let aRelay: String
    private(set) var bRelay: String
    /// The target's media policy (the current candidate's).
    var policy: MediaPolicy
    var aOrigin: SDPOriginState
    var bOrigin: SDPOriginState
    var streams: [AnchoredStream] = []
    var installed: [Int: StreamTransforms] = [:]
    /// The last answer from B and what A got for it (183 and 200 often carry the same SDP).
    var lastAnswer: (from: [UInt8], to: [UInt8])?
    /// A late offer: anchored when the INVITE without SDP went out, the streams
    /// opened from B's offer; true until A's answer came (`offerFromB`).
    var awaitsLateAnswer = false
    /// The last late offer from B and what A got for it.
    var lastLateOffer: (from: [UInt8], to: [UInt8])?
    private var started = false
    private var closed = false

    init(callID: UInt64, sessionID: String, settings: MediaSettings, relay: RelayShard, aRelay: String, bRelay: String,
         policy: MediaPolicy, logger: Logger, timeouts: MediaTimeoutMailbox) {
        self.callID = callID
        self.settings = settings
        self.aRelay = aRelay
        self.bRelay = bRelay
        self.policy = policy
        session = MediaSession(id: sessionID, configuration: settings.session, portPool: settings.portPool, relay: relay, logger: logger) {
            [callID] _ in timeouts.post(callID)
        }
        var generator = SystemRandomNumberGenerator()
        aOrigin = SDPOriginState(sessionID: String(UInt32.random(in: 1...UInt32.max, using: &generator)), address: aRelay)
        bOrigin = SDPOriginState(sessionID: String(UInt32.random(in: 1...UInt32.max, using: &generator)), address: bRelay)
    }

    /// The relay's address for `leg`.
    func relayAddress(_ side: MediaLegSide) -> String { side == .a ? aRelay : bRelay }

    /// A new target (failover): its own `o=` session and, when it is reached
    /// from another local address, the B sockets there (the A side keeps its ports).
    func retarget(bRelay: String, policy: MediaPolicy) throws(MediaAnchorError) {
        self.policy = policy
        var generator = SystemRandomNumberGenerator()
        bOrigin = SDPOriginState(sessionID: String(UInt32.random(in: 1...UInt32.max, using: &generator)), address: bRelay)
        lastAnswer = nil
        let moved = bRelay != self.bRelay
        self.bRelay = bRelay
        let session = self.session
        for index in streams.indices where streams[index].ports != nil {
            if moved {
                session.relay.sync { session.closeStream(mediaIndex: index) }
                streams[index].ports = nil
                try openStream(index)
            } else {
                session.relay.sync { session.setRemote(mediaIndex: index, side: .b, peer: nil) }
            }
            installed[index] = nil
            session.relay.sync { session.setTransform(mediaIndex: index, direction: .aToB, nil) }
            session.relay.sync { session.setTransform(mediaIndex: index, direction: .bToA, nil) }
        }
    }

    /// Binds the relay ports of m-line `index` on both sides.
    func openStream(_ index: Int) throws(MediaAnchorError) {
        guard let localA = SocketAddress(ip: aRelay, port: 0), let localB = SocketAddress(ip: bRelay, port: 0) else {
            throw .noPorts("relay address is not numeric")
        }
        let session = self.session
        let result: Result<MediaStreamPorts, RelayPortPoolError> = session.relay.sync {
            do throws(RelayPortPoolError) {
                return .success(try session.openStream(mediaIndex: index, localA: localA, localB: localB))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let ports): streams[index].ports = ports
        case .failure(let error): throw .noPorts(error.description)
        }
    }

    /// Where `side` receives m-line `index`, from the SDP it sent. The relay
    /// never offers rtcp-mux, so RTCP goes to RTP + 1 unless `a=rtcp` says otherwise.
    func setRemote(_ index: Int, side: MediaLegSide, media: MediaDescription, in description: SessionDescription) {
        var peer = MediaPeer(media: media, in: description)
        if let signalled = peer, media.isRTCPMuxed { peer = MediaPeer(rtp: signalled.rtp) }
        let session = self.session
        session.relay.sync { session.setRemote(mediaIndex: index, side: side, peer: peer) }
    }

    /// Installs each stream's transforms when its keys or codecs changed, and starts the relay.
    func installTransforms() {
        let session = self.session
        for index in streams.indices where streams[index].ports != nil {
            let stream = streams[index]
            let wanted = StreamTransforms(
                aInbound: stream.a.inbound, aOutbound: stream.a.outbound, bInbound: stream.b.inbound, bOutbound: stream.b.outbound,
                aCodec: stream.transcoding?.b == nil ? nil : stream.transcoding?.a, bCodec: stream.transcoding?.b)
            guard installed[index] != wanted else { continue }
            installed[index] = wanted
            session.relay.sync {
                session.setTransform(mediaIndex: index, direction: .aToB, Self.chain(from: .a, wanted))
                session.setTransform(mediaIndex: index, direction: .bToA, Self.chain(from: .b, wanted))
            }
        }
        guard !started else { return }
        started = true
        session.relay.sync { session.start() }
    }

    /// The transforms of packets received from `side`: its SRTP removed, transcoded, the other side's SRTP applied.
    static func chain(from side: MediaLegSide, _ setup: StreamTransforms) -> (any MediaPacketTransform)? {
        let inbound = side == .a ? setup.aInbound : setup.bInbound
        let outbound = side == .a ? setup.bOutbound : setup.aOutbound
        var stages: [any MediaPacketTransform] = []
        do {
            if let inbound { stages.append(try SRTPUnprotector(key: inbound)) }
            if let a = setup.aCodec, let b = setup.bCodec {
                stages.append(side == .a ? try RTPTranscoder(from: a, to: b) : try RTPTranscoder(from: b, to: a))
            }
            if let outbound { stages.append(try SRTPProtector(key: outbound)) }
        } catch {
            // A key or codec that cannot be set up: nothing of this direction is relayed.
            return MediaTransformChain([DropEverything()])
        }
        switch stages.count {
        case 0: return nil
        case 1: return stages[0]
        default: return MediaTransformChain(stages)
        }
    }

    /// Closes the relay: sockets close on the session's queue, ports go back to the pool.
    func close() {
        guard !closed else { return }
        closed = true
        let session = self.session
        session.relay.async { session.close() }
    }

    /// Per-stream counters (for CDRs and tests).
    func statistics() -> [MediaStreamStatistics] {
        let session = self.session
        return session.relay.sync { session.statistics() }
    }
}

/// Stands for a direction whose keys or codec could not be set up.
private final class DropEverything: MediaPacketTransform {
    func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult { .drop(.internalError) }
    func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult { .drop(.internalError) }
}
