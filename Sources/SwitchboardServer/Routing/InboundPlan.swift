import Registrar
import Routing

/// What a configuration snapshot says about calls by who sends them:
/// which sources are carriers (their calls go to the `[[did]]` tables),
/// which are customers (channel limits), and which caller IDs each carrier
/// accepts. Compiled once per snapshot; no I/O.
public struct InboundPlan: Sendable {
    struct Carrier: Sendable {
        var settings: CarrierSettings
        var sources: TrustedSources
    }

    struct Customer: Sendable {
        var settings: CustomerSettings
        var sources: TrustedSources
    }

    let carriers: [Carrier]
    let carriersByName: [String: CarrierSettings]
    /// Most specific first.
    let dids: [DIDSettings]
    let customers: [Customer]

    init(carriers: [CarrierSettings], dids: [DIDSettings], customers: [CustomerSettings]) {
        self.carriers = carriers.map { Carrier(settings: $0, sources: (try? TrustedSources(parsing: $0.inboundSources)) ?? .none) }
        carriersByName = Dictionary(carriers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // A stable sort: of two equally specific entries the first configured wins.
        self.dids = dids.enumerated().sorted { a, b in
            let (sa, sb) = (a.element.numbers.specificity, b.element.numbers.specificity)
            return sa != sb ? sa < sb : a.offset < b.offset
        }.map(\.element)
        self.customers = customers.map { Customer(settings: $0, sources: (try? TrustedSources(parsing: $0.sources)) ?? .none) }
    }

    /// Every carrier's `inbound_sources`, for the networks that are not challenged.
    public var carrierSources: [String] { carriers.flatMap(\.settings.inboundSources) }

    /// The carrier a call comes from: its address in the carrier's
    /// `inbound_sources`, or its authenticated user in `inbound_users`.
    public func carrier(for source: CallSource) -> CarrierSettings? {
        for carrier in carriers {
            if let address = source.address, carrier.sources.contains(address) { return carrier.settings }
            if let user = source.user, carrier.settings.inboundUsers.contains(user) { return carrier.settings }
        }
        return nil
    }

    /// The `[[did]]` for a number: a single number before a range, a narrower range before a wider, a longer prefix before a shorter.
    public func did(for number: E164Number) -> DIDSettings? {
        dids.first { $0.numbers.contains(number) }
    }

    /// The customer a call is counted against: the first whose sources hold its address or whose users match its user.
    public func customer(for source: CallSource) -> CustomerSettings? {
        for customer in customers {
            if let address = source.address, customer.sources.contains(address) { return customer.settings }
            if let user = source.user, customer.settings.users.contains(where: { RoutingPlan.user(user, matches: $0) }) {
                return customer.settings
            }
        }
        return nil
    }

    /// A number as a carrier writes it (`number_format`), back to E.164: `+`
    /// numbers as they are; national numbers get the country code back
    /// (after the trunk prefix, or the international prefix, is taken off).
    public static func number(_ user: String, format: NumberFormat) -> E164Number? {
        let text = String(user.prefix { $0 != ";" }).filter { $0 != "-" && $0 != "." && $0 != "(" && $0 != ")" && $0 != " " }
        if text.hasPrefix("+") { return E164Number(text) }
        switch format {
        case .plusE164, .e164:
            return E164Number(digits: text)
        case .national(let national):
            if let international = national.internationalPrefix, !international.isEmpty, text.hasPrefix(international) {
                return E164Number(digits: String(text.dropFirst(international.count)))
            }
            guard text.hasPrefix(national.trunkPrefix) else { return nil }
            return E164Number(digits: national.countryCode + text.dropFirst(national.trunkPrefix.count))
        }
    }

    /// The caller identity to show `carrier` for a caller presenting
    /// `presented` with `privacy`: owned numbers pass, others become the
    /// carrier's `default_caller_id`; nil when the carrier has no caller-ID
    /// rule and the caller asked for no privacy (the caller's identity passes as it came).
    public func callerIdentity(
        toward carrier: String, presenting presented: E164Number?, privacy: PrivacyRequest
    ) throws(CallerIDError) -> CallerIdentity? {
        guard let settings = carriersByName[carrier] else { return nil }
        let restricted = !settings.ownedNumbers.isEmpty
        guard restricted || privacy.hidesIdentity else { return nil }
        let owned = presented.map { number in !restricted || settings.ownedNumbers.contains { $0.contains(number) } } ?? false
        guard owned || settings.defaultCallerID != nil || presented != nil || restricted else { return nil }
        let policy = CallerIDPolicy(
            ownedNumbers: owned ? [presented!] : [], defaultNumber: settings.defaultCallerID,
            carrierIsTrusted: settings.identityTrusted)
        return try policy.identity(presenting: presented, privacy: privacy)
    }
}
