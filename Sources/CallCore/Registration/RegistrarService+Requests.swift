import Registrar
import SIPCore
import SIPTransport

extension RegistrarService {
    /// RFC 3261 10.3: a REGISTER for one of our domains. The AOR is checked
    /// first (400, 404), then the credentials (401, 403), then the bindings
    /// (423, 500, …); the 200 leaves once the change is durable.
    func register(_ request: SIPMessage, inbound: InboundMessage, reply: ResponseHandle) {
        let now = wallClock()
        let settings = settings
        let aor: AddressOfRecord
        do {
            aor = try Registration.addressOfRecord(of: request, settings: settings.registrar)
        } catch {
            state.withLock { $0.counters.refused += 1 }
            return reply(Self.response(to: request, error))
        }
        switch verify(request, role: .userAgentServer, inbound: inbound, now: now, settings: settings) {
        case .authenticated(let username):
            // A user registers its own AOR only (RFC 3261 10.3 step 3).
            guard username == aor.user else {
                logger.notice(
                    "REGISTER refused: credentials for another user",
                    metadata: ["aor": "\(aor)", "user": "\(username)", "source": "\(inbound.source)"])
                state.withLock { $0.counters.authFailed += 1 }
                return reply(request.makeResponse(status: 403, reason: "Forbidden", toTag: Self.toTag(request)))
            }
        case let verdict:
            return reply(challengeResponse(to: request, verdict: verdict, role: .userAgentServer, inbound: inbound, now: now, settings: settings))
        }
        let source = BindingSource(
            transport: inbound.transport.rawValue, address: inbound.source.description,
            flowToken: inbound.connection?.rawValue)
        let result: RegistrationResult
        do {
            // Processed outside the lock on the bindings read under it, and applied if they
            // are still the AOR's bindings; a REGISTER for the same AOR applied in between
            // (another receiver) makes this one run again under the lock.
            let current = state.withLock { $0.location.bindings(for: aor, now: now) }
            let first = try Registration.process(
                request, aor: aor, current: current, settings: settings.registrar, source: source, now: now)
            let applied = state.withLock { s -> Bool in
                guard s.location.bindings(for: aor, now: now) == current else { return false }
                s.location.apply(first)
                return true
            }
            result =
                applied
                ? first
                : try state.withLock { s throws(RegistrationError) -> RegistrationResult in
                    let result = try Registration.process(
                        request, aor: aor, current: s.location.bindings(for: aor, now: now), settings: settings.registrar,
                        source: source, now: now)
                    s.location.apply(result)
                    return result
                }
        } catch {
            state.withLock { $0.counters.refused += 1 }
            logger.info("REGISTER refused", metadata: ["aor": "\(aor)", "cause": "\(error)"])
            return reply(Self.response(to: request, error))
        }
        // The 200 is made where it is sent from: after the sync, on the writer's sync thread.
        let flowTimer = settings.flowTimer
        @Sendable func ok() -> SIPMessage {
            var fields = result.reply.responseHeaders(reservingCapacity: result.usedOutbound ? 1 : 0)
            // RFC 5626 5.4: how often the client sends keep-alives over the flow it registered.
            if result.usedOutbound { fields.append(("Flow-Timer", "\(flowTimer)")) }
            return request.makeResponse(status: 200, reason: "OK", toTag: Self.toTag(request), extraHeaders: fields)
        }
        guard !result.changes.isEmpty else {
            state.withLock { $0.counters.registered += 1 }
            return reply(ok())
        }
        writer.submit(result.changes) { [self] outcome in
            switch outcome {
            case .success:
                logger.debug("registered", metadata: ["aor": "\(aor)", "bindings": "\(result.bindings.count)"])
                state.withLock { $0.counters.registered += 1 }
                reply(ok())
            case .failure(let error):
                // Not durable: the location service goes back to what the store holds.
                state.withLock {
                    $0.location.replace(aor, with: result.previous)
                    $0.counters.refused += 1
                }
                logger.error("binding not stored", metadata: ["aor": "\(aor)", "cause": "\(error)"])
                reply(request.makeResponse(status: 500, reason: "Server Internal Error", toTag: Self.toTag(request)))
            }
        }
    }

    /// RFC 3261 22.3: an out-of-dialog request from a source that is not
    /// trusted proves who sent it, or gets a 407.
    func authenticate(_ request: SIPMessage, inbound: InboundMessage, reply: ResponseHandle) -> InterceptOutcome {
        let settings = settings
        guard settings.challengeRequests, !settings.trusted.contains(inbound.source.ip) else { return .proceed }
        let now = wallClock()
        switch verify(request, role: .proxy, inbound: inbound, now: now, settings: settings) {
        case .authenticated(let username):
            // The identity in From, when it is one of our users, must be the one who authenticated.
            if let from = try? request.from(), settings.registrar.localDomains.contains(from.uri.host.lowercased()), let user = from.uri.user, user != username {
                state.withLock { $0.counters.authFailed += 1 }
                logger.notice(
                    "request refused: From is another user",
                    metadata: ["from": "\(from.uri)", "user": "\(username)", "source": "\(inbound.source)"])
                reply(request.makeResponse(status: 403, reason: "Forbidden", toTag: Self.toTag(request)))
                return .answered
            }
            return .authenticated(user: username)
        case let verdict:
            reply(challengeResponse(to: request, verdict: verdict, role: .proxy, inbound: inbound, now: now, settings: settings))
            return .answered
        }
    }

    private func verify(
        _ request: SIPMessage, role: AuthenticationRole, inbound: InboundMessage, now: Double, settings: Settings
    ) -> DigestVerdict {
        let verifier = DigestVerifier(configuration: settings.digest)
        let wall = WallTime(secondsSince1970: now)
        let configured = settings.configuredUsers
        // Users are in memory: looked up under the lock, no store read. The lock is held
        // for the lookup and for the nonce count only, not while the digest is computed,
        // so that receivers on other threads are not kept waiting. Credentials that do
        // not parse are no credentials: challenged.
        return verifier.verify(
            request: request, role: role, source: Self.nonceSource(inbound, settings), now: wall,
            recordNonceCount: { nonce, count, issued, expires in
                state.withLock { $0.nonceCounts.record(nonce: nonce, count: count, issuedAt: issued, expiresAt: expires, now: wall) }
            },
            user: { name, realm, algorithm in
                // A configured user (`[[auth.user]]`) wins over a stored one of the same name.
                if let user = configured[name], user.realm == realm { return user.digestUser(algorithm: algorithm) }
                return state.withLock { $0.users.digestUser(username: name, realm: realm, algorithm: algorithm) }
            })
    }

    private func challengeResponse(
        to request: SIPMessage, verdict: DigestVerdict, role: AuthenticationRole, inbound: InboundMessage, now: Double,
        settings: Settings
    ) -> SIPMessage {
        state.withLock { s in
            switch verdict {
            case .challenge(let stale):
                s.counters.challenged += 1
                if stale { s.counters.stale += 1 }
            case .forbidden: s.counters.authFailed += 1
            case .badRequest, .authenticated: s.counters.refused += 1
            }
        }
        switch verdict {
        case .badRequest(let reason):
            return request.makeResponse(status: 400, reason: reason, toTag: Self.toTag(request))
        case .forbidden(let reason):
            logger.notice("authentication failed", metadata: ["reason": "\(reason)", "source": "\(inbound.source)"])
            return request.makeResponse(status: 403, reason: "Forbidden", toTag: Self.toTag(request))
        case .challenge(let stale):
            let verifier = DigestVerifier(configuration: settings.digest)
            var challenges = verifier.challenges(
                stale: stale, source: Self.nonceSource(inbound, settings), now: WallTime(secondsSince1970: now))
            if challenges.contains(where: { $0.algorithm != .md5 }), let field = request.firstField(.userAgent),
                Self.contains(request.value(of: field), anyOf: settings.md5OnlyUserAgents)
            {
                challenges = challenges.filter { $0.algorithm == .md5 }
            }
            let name = role.challengeHeader.canonicalName
            return request.makeResponse(
                status: role.challengeStatus, reason: role.challengeStatus == 401 ? "Unauthorized" : "Proxy Authentication Required",
                toTag: Self.toTag(request), extraHeaders: challenges.map { (name, $0.headerValue) })
        case .authenticated:
            return request.makeResponse(status: 500, reason: "Server Internal Error", toTag: Self.toTag(request))
        }
    }

    /// The source address a nonce is signed for, made into text only when
    /// nonces are bound to it (the verifier reads it for nothing else).
    static func nonceSource(_ inbound: InboundMessage, _ settings: Settings) -> String? {
        settings.digest.nonces.bindsSourceAddress ? inbound.source.ip : nil
    }

    /// Whether `text` contains one of `needles` (lowercase ASCII), ignoring
    /// ASCII case: a User-Agent check per challenge, without Foundation's
    /// locale-aware search.
    static func contains(_ text: String, anyOf needles: [String]) -> Bool {
        guard !needles.isEmpty else { return false }
        let haystack = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return needles.contains { needle in
            let n = Array(needle.utf8)
            guard !n.isEmpty else { return true }
            guard n.count <= haystack.count else { return false }
            return (0...(haystack.count - n.count)).contains { start in haystack[start..<(start + n.count)].elementsEqual(n) }
        }
    }

    static func response(to request: SIPMessage, _ error: RegistrationError) -> SIPMessage {
        request.makeResponse(
            status: error.status, reason: error.reasonPhrase, toTag: toTag(request),
            extraHeaders: error.headerFields.map { ($0.name, $0.value) })
    }

    /// A To tag for responses the registrar makes, the same for retransmissions.
    static func toTag(_ request: SIPMessage) -> String {
        var hash = FNV1a()
        hash.add(bytes: (try? request.callIDBytes()) ?? [])
        return tag(hash: hash.value)
    }

    /// `sbr-` and the hash in lowercase hex without leading zeros, written at
    /// once (twelve bytes at most: a string without allocation).
    static func tag(hash: UInt32) -> String {
        let digits = max(1, (32 - hash.leadingZeroBitCount + 3) / 4)
        return String(unsafeUninitializedCapacity: 4 + digits) { out in
            out[0] = UInt8(ascii: "s")
            out[1] = UInt8(ascii: "b")
            out[2] = UInt8(ascii: "r")
            out[3] = UInt8(ascii: "-")
            var v = hash
            for i in stride(from: 3 + digits, through: 4, by: -1) {
                let nibble = UInt8(v & 0xf)
                out[i] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                v >>= 4
            }
            return 4 + digits
        }
    }
}
