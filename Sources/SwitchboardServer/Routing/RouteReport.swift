import Routing

/// The text `switchboard route` prints: one line for the number, then one
/// line per candidate in the order they would be tried, `key=value` fields
/// with the reason for the position last; or the rejection.
///
/// ```
/// number +14155550123 dialled=4155550123 dial_plan=default
/// 1 carrier=plivo prefix=1415 rate=0.004000/min increment=1/1 connection_fee=0.000000 cost_1min=0.004000 cost_5min=0.020000 host=acme.zt.plivo.com uri=sip:+14155550123@acme.zt.plivo.com why=cost
/// ```
public enum RouteReport {
    /// The first line: the number as normalized, and by which dial plan.
    public static func numberLine(_ number: E164Number, dialled: String, dialPlan: String) -> String {
        "number \(number) dialled=\(dialled) dial_plan=\(dialPlan)"
    }

    /// The first line, then one per candidate.
    public static func lines(_ decision: RoutingDecision) -> [String] {
        [numberLine(decision.number, dialled: decision.dialled, dialPlan: decision.dialPlan)] + candidateLines(decision)
    }

    /// One line per candidate, first choice first.
    public static func candidateLines(_ decision: RoutingDecision) -> [String] {
        var lines: [String] = []
        for (index, candidate) in decision.candidates.enumerated() {
            var fields = ["\(index + 1)", "carrier=\(candidate.carrier.name)"]
            if let rate = candidate.rate {
                fields += [
                    "prefix=\(candidate.prefix ?? "-")",
                    "rate=\(rate.perMinute)/min",
                    "increment=\(rate.increment)",
                    "connection_fee=\(rate.connectionFee)",
                    "cost_1min=\(rate.cost(seconds: 60))",
                    "cost_5min=\(rate.cost(seconds: 300))",
                ]
            } else {
                fields += ["prefix=-", "rate=-", "increment=-", "connection_fee=-", "cost_1min=-", "cost_5min=-"]
            }
            fields.append("host=\(hostPort(candidate.carrier.primaryHost))")
            if let secondary = candidate.carrier.secondaryHost { fields.append("secondary=\(hostPort(secondary))") }
            if let uri = candidate.requestURIs.first { fields.append("uri=\(uri)") }
            fields.append("why=\(candidate.reason)")
            lines.append(fields.joined(separator: " "))
        }
        return lines
    }

    /// `host[:port]`, an IPv6 address in brackets.
    static func hostPort(_ host: TerminationHost) -> String {
        let name = host.host.contains(":") ? "[\(host.host)]" : host.host
        return host.port.map { "\(name):\($0)" } ?? name
    }

    /// The line for a rejection: `rejected status=403 reason=...`.
    public static func line(_ rejection: RoutingRejection) -> String {
        "rejected status=\(rejection.sipStatus) reason=\(rejection)"
    }
}
