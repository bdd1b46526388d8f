import Foundation

extension Server {
    /// The requests the control socket understands.
    enum ControlCommand: String, CaseIterable {
        /// `key: value` lines: uptime, configuration, shards, transactions, connections, counters.
        case status
        /// Reloads the configuration as SIGHUP does: `ok version=N`, or the errors.
        case reload
        /// One line per binding, optionally of one AOR (`registrations sip:alice@example.com`).
        case registrations
        /// One line per carrier: health, circuit breaker, channels, CPS.
        case trunks
        /// The recent emergency calls, newest first.
        case emergency
    }

    /// Answers one control request line; `reply` gets the whole response.
    func answerControl(_ line: String, reply: @escaping @Sendable (String) -> Void) {
        let request = line.trimmingCharacters(in: .whitespaces)
        let words = request.split(separator: " ", maxSplits: 1).map(String.init)
        guard let command = ControlCommand(rawValue: words.first ?? "") else {
            let expected = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            return reply("error: unknown command \"\(request)\" (expected \(expected))\n")
        }
        switch command {
        case .status:
            reply(statusReport())
        case .registrations:
            reply(registrationsReport(aor: words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : nil))
        case .trunks:
            reply(sip?.trunksReport() ?? "error: SIP not running\n")
        case .emergency:
            reply(sip?.emergencyReport() ?? "error: SIP not running\n")
        case .reload:
            reload { [store = configuration] result in
                switch result {
                case .success(let snapshot):
                    reply("ok version=\(snapshot.version)\n")
                case .failure(let error):
                    let kept = store.current.version
                    reply(
                        "error: configuration invalid, version \(kept) stays in force\n"
                            + error.errors.map { "\($0)\n" }.joined())
                }
            }
        }
    }

    /// `ctl registrations [AOR]`: one line per binding, AOR order, with its
    /// contact, age, time left, transport, source and user agent.
    func registrationsReport(aor: String?) -> String {
        guard let registrar else { return "error: registrar not running\n" }
        let (bindings, now) = registrar.bindings(aor: aor)
        if bindings.isEmpty { return aor.map { "no bindings for \($0)\n" } ?? "no bindings\n" }
        return bindings.map { b in
            var fields = [
                b.aor.description, "contact=\(b.contactText)", "expires_in=\(b.remainingSeconds(at: now))s",
                "age=\(max(0, Int(now - b.registeredAt)))s", "transport=\(b.source.transport)", "source=\(b.source.address)",
            ]
            if let q = b.q { fields.append("q=\(q)") }
            if let instance = b.instanceID { fields.append("instance=\(instance)") }
            if let regID = b.regID { fields.append("reg-id=\(regID)") }
            if !b.path.isEmpty { fields.append("path=\(b.path.joined(separator: ","))") }
            fields.append("user_agent=\"\(b.userAgent ?? "")\"")
            return fields.joined(separator: " ") + "\n"
        }.joined()
    }

    /// `ctl status`: one `key: value` per line, counters since start.
    func statusReport() -> String {
        let snapshot = configuration.current
        let sip = sip?.status() ?? SIPServiceStatus()
        var fields: [(String, String)] = [
            ("release", Self.version),
            ("uptime_seconds", "\(uptime.components.seconds)"),
            ("config_version", "\(snapshot.version)"),
            ("config_source", "\(snapshot.source)"),
            ("config_loaded_at", ISO8601DateFormatter().string(from: snapshot.loadedAt)),
            ("draining", sip.draining ? "yes" : "no"),
            ("shards", "\(sip.shards)"),
            ("transactions_server", "\(sip.serverTransactions)"),
            ("transactions_client", "\(sip.clientTransactions)"),
            ("pending_requests", "\(sip.pendingRequests)"),
            ("connections", "\(sip.connections)"),
            ("requests", "\(sip.requests)"),
            ("forwarded", "\(sip.forwarded)"),
            ("rejected", "\(sip.rejected)"),
            ("datagrams_in", "\(sip.datagramsIn)"),
            ("proxied_calls", "\(sip.proxiedCalls)"),
            ("bridged_calls", "\(sip.bridgedCalls)"),
            ("bridged_total", "\(sip.bridgedTotal)"),
            ("failovers", "\(sip.failovers)"),
            ("dropped", "\(sip.dropped)"),
            ("media_kernel_forwarding", sip.kernelForwarding.rawValue),
            ("media_kernel_rules", "\(sip.kernelForwardingRules)"),
        ]
        if let counters = registrar?.counters {
            fields += [
                ("registrar_bindings", "\(registrar?.bindingCount ?? 0)"),
                ("register_ok", "\(counters.registered)"),
                ("auth_challenged", "\(counters.challenged)"),
                ("auth_stale", "\(counters.stale)"),
                ("auth_failed", "\(counters.authFailed)"),
                ("register_refused", "\(counters.refused)"),
                ("register_overloaded", "\(counters.overloaded)"),
            ]
        }
        return fields.map { "\($0.0): \($0.1)\n" }.joined()
    }
}
