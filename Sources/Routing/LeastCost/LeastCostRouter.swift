/// Least-cost routing for one configuration snapshot: the compiled rate
/// table plus the operator's policy. Answers, for a number and a moment,
/// the carriers to try in order, or why none may be tried.
///
/// Order of decisions: blocked prefixes, then time-of-day blocks, then the
/// most specific pin, then time-of-day preferences, then cost (per-minute
/// price, connection fee, increment), then preference, then a weighted order
/// drawn from `random`, so equal inputs give equal answers.
public struct LeastCostRouter: Sendable {
    public let table: RateTable
    public let policy: RoutingPolicy

    public init(table: RateTable, policy: RoutingPolicy = RoutingPolicy()) {
        self.table = table
        self.policy = policy
    }

    /// The carriers to try for `number` at `time`, first choice first.
    /// `random` picks among carriers of equal cost and preference by weight;
    /// pass a fresh random value per call.
    public func route(_ number: E164Number, at time: UnixTime, random: UInt64) throws(RouteRejection) -> [RouteCandidate] {
        if let block = policy.blocked.filter({ number.hasPrefix($0.prefix) }).max(by: { $0.prefix.count < $1.prefix.count }) {
            throw .blocked(prefix: block.prefix, reason: block.reason)
        }
        let rules = policy.timeOfDay.filter { $0.applies(to: number, at: time) }
        for rule in rules {
            if case .block(let reason) = rule.action { throw .blockedAtThisTime(reason: reason) }
        }

        var rates = table.rates(for: number, at: time)
        var out: [RouteCandidate] = []
        var used: Set<String> = []

        let pin = policy.pins.filter { $0.matches(number) }.max { $0.specificity < $1.specificity }
        if let pin {
            for carrier in pin.carriers where used.insert(carrier).inserted {
                let match = rates.first { $0.carrier == carrier }
                out.append(RouteCandidate(carrier: carrier, rate: match?.rate, prefix: match?.prefix, selection: .pinned))
            }
            if pin.exclusive { return out }
        }

        for rule in rules {
            guard case .prefer(let carriers) = rule.action else { continue }
            for carrier in carriers where !used.contains(carrier) {
                guard let match = rates.first(where: { $0.carrier == carrier }) else { continue }
                used.insert(carrier)
                out.append(RouteCandidate(carrier: carrier, rate: match.rate, prefix: match.prefix, selection: .timeOfDay))
            }
        }

        if !used.isEmpty { rates.removeAll { used.contains($0.carrier) } }
        out.reserveCapacity(out.count + rates.count)
        for rate in costOrder(rates, random: random) {
            out.append(RouteCandidate(carrier: rate.carrier, rate: rate.rate, prefix: rate.prefix, selection: .cost))
        }
        guard !out.isEmpty else { throw .noRoute(number) }
        return out
    }

    /// Cheapest first; equal cost by preference, then by weighted draw.
    func costOrder(_ rates: [CarrierRate], random: UInt64) -> [CarrierRate] {
        let sorted = rates.sorted { a, b in
            if !a.rate.costEquals(b.rate) { return a.rate.costPrecedes(b.rate) }
            let pa = weight(a.carrier).preference
            let pb = weight(b.carrier).preference
            if pa != pb { return pa < pb }
            return a.carrierIndex < b.carrierIndex
        }
        var generator = SplitMix64(seed: random)
        var out: [CarrierRate] = []
        out.reserveCapacity(sorted.count)
        var i = 0
        while i < sorted.count {
            var j = i + 1
            while j < sorted.count, sorted[j].rate.costEquals(sorted[i].rate),
                weight(sorted[j].carrier).preference == weight(sorted[i].carrier).preference
            {
                j += 1
            }
            if j == i + 1 {
                out.append(sorted[i])
            } else {
                out += WeightedOrder.shuffle(Array(sorted[i..<j]), weight: { weight($0.carrier).weight }, using: &generator)
            }
            i = j
        }
        return out
    }

    func weight(_ carrier: String) -> CarrierWeight { policy.weights[carrier] ?? CarrierWeight() }
}
