import CallCore
import Foundation
import SIPCore
import SIPTransport

extension SIPService {
    /// Sends a SIP MESSAGE (RFC 3428) with a plain-text body from Switchboard
    /// itself, e.g. the Kari's Law notice to a front desk: to a registered
    /// user's contacts when the URI is one of ours, else to its host. Runs on
    /// a shard's queue, on its own client transaction (retransmitted over UDP).
    func sendMessage(to uri: SIPURI, text: String) {
        guard let shard = shards.first else { return }
        let registrar = registrar?.service
        let transport = transport
        shard.queue.async {
            let target: ForwardTarget? =
                registrar?.targets(for: uri)?.first?.first
                ?? NumericTargetResolver().knownTargets(for: uri)?.first.map { ForwardTarget(uri: uri, flow: $0) }
            guard let target, let outbound = target.flow ?? NumericTargetResolver().knownTargets(for: target.uri)?.first,
                let local = transport.localAddress(toward: outbound)
            else {
                self.logger.error("MESSAGE not sent: no address for \(uri)")
                return
            }
            let tag = UInt64.random(in: 0...UInt64.max)
            let branch = BranchFormat.make(shard: shard.index, loopHash: 0, unique: tag & 0xFFFF_FFFF_FFFF)
            let body = Array(text.utf8)
            var head = "MESSAGE \(target.uri) SIP/2.0\r\n"
            head += "Via: SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(branch);rport\r\n"
            for route in target.routeSet { head += "Route: \(route)\r\n" }
            head += "Max-Forwards: 70\r\n"
            head += "From: \"Switchboard\" <sip:switchboard@\(local.hostText)>;tag=\(String(tag, radix: 16))\r\n"
            head += "To: <\(uri)>\r\n"
            head += "Call-ID: msg-\(String(tag, radix: 16))@\(local.hostText)\r\n"
            head += "CSeq: 1 MESSAGE\r\n"
            head += "Content-Type: text/plain;charset=UTF-8\r\n"
            head += "Content-Length: \(body.count)\r\n\r\n"
            do {
                let message = try SIPMessage(bytes: Array(head.utf8) + body)
                _ = try shard.layer.sendRequest(message, to: outbound)
            } catch {
                self.logger.error("MESSAGE not sent", metadata: ["to": "\(uri)", "error": "\(error)"])
            }
        }
    }
}
