import SIPCore
import SIPTransaction

/// RFC 4028 session timers on leg B: offered in its INVITE, refreshed by
/// Switchboard when it is the refresher, the call torn down when a refresh
/// fails or none comes in time.
extension B2BUA {
    /// Session-Expires: the interval and the refresher parameter.
    static func sessionExpires(_ message: SIPMessage) -> (interval: UInt32, refresher: String?)? {
        guard let value = message.values(named: "Session-Expires").first else { return nil }
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let interval = UInt32(first) else { return nil }
        let refresher = parts.dropFirst().first { $0.lowercased().hasPrefix("refresher=") }.map { String($0.dropFirst(10)).lowercased() }
        return (interval, refresher)
    }

    /// Leg B's 2xx to its INVITE: the interval it chose and who refreshes (7.2:
    /// no Session-Expires is no session timer).
    func negotiateSessionTimer(_ call: B2BUACall, _ response: SIPMessage) {
        guard call.request.sessionTimer != nil, let (interval, refresher) = Self.sessionExpires(response) else { return }
        call.sessionInterval = interval
        call.weRefresh = refresher != "uas"
        sessionRefreshed(call)
    }

    /// A refresh succeeded (or the session started): the next refresh at
    /// half the interval when Switchboard refreshes, else the expiry at the
    /// interval less min(32 s, a third of it) (RFC 4028 10).
    func sessionRefreshed(_ call: B2BUACall) {
        guard let interval = call.sessionInterval, call.phase != .ended else { return }
        let ms = Int64(interval) * 1000
        if call.weRefresh {
            cancelTimer(call, .sessionExpiry)
            schedule(call, .sessionRefresh, in: ms / 2)
        } else {
            cancelTimer(call, .sessionRefresh)
            schedule(call, .sessionExpiry, in: ms - min(32_000, ms / 3))
        }
    }

    /// Headers for a re-INVITE or UPDATE relayed onto leg B: the session
    /// interval kept, with the same refresher.
    func sessionTimerHeaders(_ call: B2BUACall, towards leg: B2BUALeg) -> [(String, String)] {
        guard leg == .b, let interval = call.sessionInterval, let settings = call.request.sessionTimer else { return [] }
        return [
            ("Session-Expires", "\(interval);refresher=\(call.weRefresh ? "uac" : "uas")"), ("Min-SE", "\(settings.minimum)"),
            ("Supported", "timer"),
        ]
    }

    /// The 2xx to leg B's refresh (re-INVITE, UPDATE) carries the interval it asked for (RFC 4028 9).
    func sessionTimerAnswer(_ call: B2BUACall, request: SIPMessage, from origin: B2BUALeg) -> [(String, String)] {
        guard origin == .b, call.request.sessionTimer != nil, let (interval, refresher) = Self.sessionExpires(request) else { return [] }
        let who = refresher ?? "uac"
        call.sessionInterval = interval
        call.weRefresh = who == "uas"
        return [("Session-Expires", "\(interval);refresher=\(who)"), ("Require", "timer")]
    }

    /// Switchboard's refresh on leg B: UPDATE where the carrier takes it,
    /// else a re-INVITE offering the last session description again.
    func sendRefresh(_ call: B2BUACall) {
        guard let interval = call.sessionInterval, let settings = call.request.sessionTimer, let id = call.bDialog,
            var entry = dialogs[id], call.phase == .confirmed
        else { return }
        if call.reinviteInProgress || call.awaitingAck != nil {
            // An offer is in flight; try again shortly (it may refresh the session itself).
            return schedule(call, .sessionRefresh, in: 2 * layer.timers.t1)
        }
        let useUpdate = call.target?.supportsUpdate ?? false
        let headers = [("Session-Expires", "\(interval);refresher=uac"), ("Min-SE", "\(settings.minimum)"), ("Supported", "timer")]
        let refresh: DialogRequest
        do {
            if useUpdate {
                refresh = try entry.dialog.makeRequest(.update, headers: headers)
            } else {
                refresh = try entry.dialog.makeRequest(
                    .invite, headers: headers, body: call.bOffer?.body ?? [], contentType: call.bOffer?.contentType)
                call.reinviteInProgress = true
            }
        } catch {
            return refreshFailed(call, status: 500)
        }
        dialogs[id] = entry
        log(call, "session refresh", ["method": "\(useUpdate ? "UPDATE" : "INVITE")"])
        send(refresh, call: call, leg: .b, purpose: .refresh, contact: true)
    }

    func refreshResponse(_ call: B2BUACall, _ response: SIPMessage) {
        let status = response.statusCode
        guard status >= 200 else { return }
        let isInvite = response.method == .invite
        if isInvite { call.reinviteInProgress = false }
        guard status < 300 else { return refreshFailed(call, status: status) }
        if let id = call.bDialog, var entry = dialogs[id] {
            entry.dialog.refreshTarget(from: response)
            dialogs[id] = entry
            if isInvite, let cseq = try? response.cseq().sequence, let ack = try? entry.dialog.makeAck(cseq: cseq) {
                sendAck(ack, call: call, leg: .b)
            }
        }
        if let (interval, refresher) = Self.sessionExpires(response) {
            call.sessionInterval = interval
            call.weRefresh = refresher != "uas"
        }
        sessionRefreshed(call)
    }

    /// A refresh failed: the session is over on both legs (RFC 4028 10).
    func refreshFailed(_ call: B2BUACall, status: Int) {
        log(call, "session refresh failed", ["status": "\(status)"])
        tearDown(call, legs: [.a, .b], reason: [("Reason", "SIP;cause=\(status);text=\"Session refresh failed\"")])
    }
}
