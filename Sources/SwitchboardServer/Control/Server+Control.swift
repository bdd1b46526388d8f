import Foundation

extension Server {
    /// The requests the control socket understands.
    enum ControlCommand: String, CaseIterable {
        /// `key: value` lines: uptime, configuration, shards, transactions, connections, counters.
        case status
        /// Reloads the configuration as SIGHUP does: `ok version=N`, or the errors.
        case reload
    }

    /// Answers one control request line; `reply` gets the whole response.
    func answerControl(_ line: String, reply: @escaping @Sendable (String) -> Void) {
        let request = line.trimmingCharacters(in: .whitespaces)
        guard let command = ControlCommand(rawValue: request) else {
            let expected = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            return reply("error: unknown command \"\(request)\" (expected \(expected))\n")
        }
        switch command {
        case .status:
            reply(statusReport())
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

    /// `ctl status`: one `key: value` per line, counters since start.
    func statusReport() -> String {
        let snapshot = configuration.current
        let sip = sip?.status() ?? SIPServiceStatus()
        let fields: [(String, String)] = [
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
            ("dropped", "\(sip.dropped)"),
        ]
        return fields.map { "\($0.0): \($0.1)\n" }.joined()
    }
}
