import SIPCore

/// RFC 3261 16.7 step 6: which final response a forking proxy sends back.
public enum ResponseSelection {
    /// The best of the final responses received on all branches: a 6xx if
    /// any; else the lowest class; within 4xx, 401/407/415/420/484 are
    /// preferred; no response at all is 408. A chosen 503 becomes 500 (the
    /// 503 means "this proxy's next hop is overloaded", not the caller's).
    public static func best(of statuses: [Int]) -> Int {
        guard !statuses.isEmpty else { return 408 }
        if let six = statuses.filter({ $0 >= 600 }).min() { return six }
        let lowestClass = statuses.map { $0 / 100 }.min()!
        let inClass = statuses.filter { $0 / 100 == lowestClass }
        if lowestClass == 4, let preferred = inClass.first(where: { [401, 407, 415, 420, 484].contains($0) }) {
            return preferred
        }
        let chosen = inClass.min()!
        return chosen == 503 ? 500 : chosen
    }

    /// The index in `responses` of the response to forward, or nil for a
    /// generated 408 (no final responses).
    public static func bestIndex(of responses: [SIPMessage]) -> Int? {
        guard !responses.isEmpty else { return nil }
        let status = best(of: responses.map(\.statusCode))
        let wanted = status == 500 ? 503 : status
        return responses.firstIndex { $0.statusCode == wanted } ?? responses.firstIndex { $0.statusCode == status }
    }

    /// RFC 3261 16.7 step 7: a 401 or 407 chosen as best carries the
    /// challenges of every 401 and 407 received.
    public static func aggregateChallenges(into best: inout SIPMessage, from responses: [SIPMessage]) {
        guard best.statusCode == 401 || best.statusCode == 407 else { return }
        for r in responses where r.statusCode == 401 || r.statusCode == 407 {
            for f in r.fields(.wwwAuthenticate) + r.fields(.proxyAuthenticate) {
                let value = r.value(of: f)
                let name = f.name == .wwwAuthenticate ? "WWW-Authenticate" : "Proxy-Authenticate"
                if !best.values(named: name).contains(value) { best.appendHeader(name, value: value) }
            }
        }
    }
}
