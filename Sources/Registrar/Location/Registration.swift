import Foundation
import SIPCore

/// REGISTER processing (RFC 3261 10.3 with RFC 3327, RFC 5626 and RFC 5627):
/// a pure function of the request, the AOR's current bindings, settings,
/// the source and the time. It reads no clock and stores nothing.
public enum Registration {
    /// Whether this registrar understands an option tag (lowercase) in Require.
    static func understands(_ tag: String, _ settings: RegistrarSettings) -> Bool {
        switch tag {
        case "path": true
        case "gruu": settings.gruuEnabled
        case "outbound": settings.outboundEnabled
        default: false
        }
    }

    /// The canonical AOR of a REGISTER's To (RFC 3261 10.3 step 5): 400 for
    /// a non-SIP To, 404 when its domain is not local.
    public static func addressOfRecord(of request: SIPMessage, settings: RegistrarSettings) throws(RegistrationError) -> AddressOfRecord {
        let to: NameAddress
        do { to = try request.to() } catch { throw .badRequest(error.reason) }
        let aor = try AddressOfRecord(uri: to.uri)
        guard settings.isLocal(aor.domain) else { throw .notFound(aor.description) }
        return aor
    }

    /// Processes one REGISTER. `current` are the AOR's bindings as the
    /// location service holds them; expired ones are ignored.
    public static func process(
        _ request: SIPMessage, current: [Binding], settings: RegistrarSettings, source: BindingSource, now: Double
    ) throws(RegistrationError) -> RegistrationResult {
        try process(
            request, aor: try addressOfRecord(of: request, settings: settings), current: current, settings: settings, source: source,
            now: now)
    }

    /// `process` for a request whose AOR the caller has already taken from
    /// `addressOfRecord(of:settings:)` (a registrar checks it before the credentials).
    public static func process(
        _ request: SIPMessage, aor: AddressOfRecord, current: [Binding], settings: RegistrarSettings, source: BindingSource,
        now: Double
    ) throws(RegistrationError) -> RegistrationResult {
        let callID: String
        let cseq: CSeq
        let supported: Set<String>
        let require: OptionTags
        let expiresHeader: UInt32?
        let paths: HeaderValues<NameAddress>
        let contact: ContactValue?
        do {
            callID = try request.callID()
            cseq = try request.cseq()
            supported = Set(try request.supported().map { $0.lowercased() })
            require = try request.require()
            expiresHeader = try request.expires()
            paths = try request.paths()
            contact = try request.contact()
        } catch {
            throw .badRequest(error.reason)
        }

        // Step 2: every extension in Require must be understood.
        let unsupported = require.filter { !understands($0.lowercased(), settings) }
        guard unsupported.isEmpty else { throw .badExtension(unsupported: unsupported) }

        // Usually all of `current`: then shared, not copied.
        let previous = current.allSatisfy { $0.isLive(at: now) && $0.aor == aor } ? current : current.filter { $0.isLive(at: now) && $0.aor == aor }
        let context = Context(
            aor: aor, settings: settings, source: source, now: now, callID: callID, cseq: cseq.sequence,
            supported: supported, paths: paths, userAgent: request.firstField(.userAgent).map { request.value(of: $0) })

        switch contact {
        case nil:
            // Step 6 with no Contact: a query; nothing changes.
            return context.result(previous: previous, bindings: previous, changes: [], outbound: false)
        case .star:
            return try context.removeAll(previous, expiresHeader: expiresHeader)
        case .addresses(let list):
            let contacts = try list.map { (a) throws(RegistrationError) in try RequestedContact(a) }
            let outbound = try context.outboundApplies(contacts, expiresHeader: expiresHeader, viaCount: request.viaCount)
            return try context.update(previous, contacts: contacts, expiresHeader: expiresHeader, outbound: outbound)
        }
    }

    /// The request-wide values the steps share.
    struct Context {
        let aor: AddressOfRecord
        let settings: RegistrarSettings
        let source: BindingSource
        let now: Double
        let callID: String
        let cseq: UInt32
        let supported: Set<String>
        let paths: HeaderValues<NameAddress>
        let userAgent: String?

        /// Step 6, `*`: only with Expires: 0 and no other Contact; removes every
        /// binding unless one of them has the same Call-ID and a CSeq not below this one.
        func removeAll(_ previous: [Binding], expiresHeader: UInt32?) throws(RegistrationError) -> RegistrationResult {
            guard expiresHeader == 0 else { throw .badRequest("Contact * requires Expires: 0") }
            for b in previous where b.callID == callID && cseq <= b.cseq {
                throw .outOfOrder("CSeq \(cseq) not above \(b.cseq) for \(b.contactURI) with the same Call-ID")
            }
            let changes = previous.map { BindingChange.remove(aor: aor, key: $0.key) }
            return result(previous: previous, bindings: [], changes: changes, outbound: false)
        }

        /// RFC 5626 6: whether the `reg-id`s of this request define outbound flows.
        /// Outbound applies when the UA supports it, a Contact carries both
        /// `+sip.instance` and `reg-id`, and this registrar is the first hop or
        /// the first Path URI carries `ob`; otherwise `reg-id` is ignored, or
        /// the request gets 439 when the UA asked for outbound through an edge
        /// that lacks it.
        func outboundApplies(_ contacts: [RequestedContact], expiresHeader: UInt32?, viaCount: Int) throws(RegistrationError) -> Bool {
            let adding = contacts.contains { ($0.expires ?? expiresHeader ?? 1) != 0 }
            let uaSupports = supported.contains("outbound")
            let wants = settings.outboundEnabled && contacts.contains { $0.instanceID != nil && $0.regID != nil }
            var applies = false
            if wants {
                let firstHop = viaCount <= 1
                let edgeMarked = paths.first.map { $0.uri.parameters.contains("ob") } ?? false
                if firstHop || edgeMarked {
                    applies = uaSupports
                } else if uaSupports {
                    throw .firstHopLacksOutboundSupport
                }
            }
            if applies {
                guard contacts.count == 1 || !adding else {
                    throw .badRequest("A reg-id registration carries one Contact")
                }
            }
            if settings.requireOutbound, !applies, adding {
                throw .extensionRequired(["outbound"])
            }
            return applies
        }

        /// Step 7: add, refresh, replace or remove each Contact; all or nothing.
        func update(
            _ previous: [Binding], contacts: [RequestedContact], expiresHeader: UInt32?, outbound: Bool
        ) throws(RegistrationError) -> RegistrationResult {
            // Intervals first, so that a 423 changes nothing.
            for c in contacts {
                let requested = c.expires ?? expiresHeader ?? settings.effectiveDefault
                if requested != 0, requested < settings.minExpires { throw .intervalTooBrief(minExpires: settings.minExpires) }
            }
            var bindings = previous
            var changes: [BindingChange] = []
            let pathTexts = paths.map(\.text)
            for c in contacts {
                let requested = c.expires ?? expiresHeader ?? settings.effectiveDefault
                let interval = min(requested, max(settings.maxExpires, settings.minExpires))
                let regID = outbound && c.instanceID != nil ? c.regID : nil
                let key = regID.map { "ob:\(c.instanceID!)/\($0)" } ?? c.uri.equivalenceKey(prefix: "uri:")
                let index = bindings.firstIndex { $0.key == key }
                if let index {
                    let old = bindings[index]
                    if old.callID == callID, cseq <= old.cseq {
                        throw .outOfOrder("CSeq \(cseq) not above \(old.cseq) for \(c.uri) with the same Call-ID")
                    }
                }
                if interval == 0 {
                    if let index {
                        bindings.remove(at: index)
                        changes.append(.remove(aor: aor, key: key))
                    }
                    continue
                }
                let token = c.instanceID.map {
                    GRUU.temporaryToken(aor: aor, instanceID: $0, callID: callID, key: settings.gruuKey)
                }
                let binding = Binding(
                    aor: aor, key: key, contactURI: c.uri, contactText: c.text, expiresAt: now + Double(interval), q: c.q,
                    callID: callID, cseq: cseq, path: pathTexts, instanceID: c.instanceID, regID: regID, source: source,
                    userAgent: userAgent, registeredAt: now, tempGRUU: settings.gruuEnabled ? token : nil)
                if let index {
                    changes.append(Self.isRefresh(of: bindings[index], to: binding) ? .refresh(binding) : .upsert(binding))
                    bindings[index] = binding
                } else {
                    bindings.append(binding)
                    changes.append(.upsert(binding))
                }
            }
            // All or nothing (10.3 step 7): past the limit, no binding of this
            // request is kept. An AOR already above a lowered limit may refresh.
            if settings.maxContacts > 0, bindings.count > settings.maxContacts, bindings.count > previous.count {
                throw .tooManyContacts(limit: settings.maxContacts)
            }
            return result(previous: previous, bindings: bindings, changes: changes, outbound: outbound)
        }

        /// Whether `new` changes only what a periodic re-registration changes: expiry, CSeq, time.
        /// Every other field compared in place (a copy of `old` would retain
        /// and release each of its strings); `bindingFieldCount` (checked by a test) keeps
        /// this list complete.
        static func isRefresh(of old: Binding, to new: Binding) -> Bool {
            old.aor == new.aor && old.key == new.key && old.contactURI == new.contactURI && old.contactText == new.contactText
                && old.q == new.q && old.callID == new.callID && old.path == new.path && old.instanceID == new.instanceID
                && old.regID == new.regID && old.source == new.source && old.userAgent == new.userAgent && old.tempGRUU == new.tempGRUU
        }

        /// The fields of `Binding`: `isRefresh` compares all but `expiresAt`, `cseq` and `registeredAt`.
        static let bindingFieldCount = 15

        /// Step 8: the 200 lists every current binding with its remaining interval.
        func result(previous: [Binding], bindings: [Binding], changes: [BindingChange], outbound: Bool) -> RegistrationResult {
            let gruu = settings.gruuEnabled && supported.contains("gruu")
            let contacts = bindings.map { replyContact($0, gruu: gruu) }
            let path = supported.contains("path") && !changes.isEmpty ? paths.map(\.text) : []
            let reply = RegistrationReply(contacts: contacts, path: path, require: outbound ? ["outbound"] : [])
            return RegistrationResult(
                aor: aor, previous: previous, bindings: bindings, changes: changes, reply: reply, usedOutbound: outbound)
        }

        func replyContact(_ b: Binding, gruu: Bool) -> String {
            let uri = b.contactURI.bytes
            let q = b.q.map(Self.format)
            let regID = b.regID
            let instance = b.instanceID
            var capacity = 1 + uri.count + 1 + 9 + UTF8Assembler.decimalCapacity
            if let q { capacity += 3 + q.utf8.count }
            if let instance { capacity += 17 + instance.utf8.count }
            if regID != nil { capacity += 8 + UTF8Assembler.decimalCapacity }
            var s = String(assembling: capacity) { s in
                s.append("<")
                s.append(uri)
                s.append(">")
                if let q {
                    s.append(";q=")
                    s.append(q)
                }
                if let instance {
                    s.append(";+sip.instance=\"")
                    s.append(instance)
                    s.append("\"")
                }
                if let regID {
                    s.append(";reg-id=")
                    s.append(decimal: regID)
                }
                s.append(";expires=")
                s.append(decimal: b.remainingSeconds(at: now))
            }
            if gruu, let inst = b.instanceID {
                s += ";pub-gruu=\"\(GRUU.publicGRUU(aor: b.aor, instanceID: inst))\""
                if let t = b.tempGRUU { s += ";temp-gruu=\"\(GRUU.temporaryGRUU(aor: b.aor, token: t))\"" }
            }
            return s
        }

        /// A qvalue with at most three decimals and no trailing zeros.
        static func format(_ q: Double) -> String {
            var s = String(format: "%.3f", q)
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s
        }
    }
}
