import Routing

/// One `[[routing.pin]]`: numbers of a prefix or a DID range go to the named
/// carriers first (or only, when `exclusive`), whatever they cost.
public struct RoutePinSettings: Hashable, Sendable {
    public var pin: RoutePin
    /// `routing.pin[0]`: how `switchboard route` names the pin that placed a carrier.
    public var key: String
    /// Where each carrier name is written, to report unknown names at their line.
    let carrierPaths: [ConfigurationKeyPath]

    init(reading section: inout ConfigurationSection) {
        key = section.path.description
        let hasPrefix = section.has("prefix")
        let prefix = RoutingSettings.prefix(&section, "prefix")
        let range = section.strings("range", default: [])
        var match = RoutePin.Match.prefix(prefix ?? "")
        if hasPrefix == !range.isEmpty || (!hasPrefix && !section.has("range")) {
            section.diagnostics.report(
                .invalid("give either prefix = \"DIGITS\" or range = [\"+FIRST\", \"+LAST\"]"), at: section.path)
        } else if !range.isEmpty {
            let numbers = range.compactMap { entry -> E164Number? in
                guard let number = E164Number(entry.value) else {
                    section.diagnostics.report(.invalid("not an E.164 number: \"\(entry.value)\""), at: entry.path)
                    return nil
                }
                return number
            }
            if range.count != 2 {
                section.report(.invalid("a range is two numbers, the first and the last"), at: "range")
            } else if numbers.count == 2 {
                if numbers[0].digits.count != numbers[1].digits.count {
                    section.report(.invalid("both ends of a range have the same number of digits"), at: "range")
                } else if numbers[1] < numbers[0] {
                    section.report(.invalid("the first number is after the last"), at: "range")
                }
                match = .range(numbers[0], numbers[1])
            }
        }
        let carriers = section.strings("carriers", default: [])
        if carriers.isEmpty { section.report(.invalid("at least one carrier is needed"), at: "carriers") }
        carrierPaths = carriers.map(\.path)
        pin = RoutePin(match, carriers: carriers.map(\.value), exclusive: section.boolean("exclusive", default: false))
    }

    /// How specific the pin is, as `LeastCostRouter` ranks pins: a range beats any prefix, a longer prefix a shorter one.
    var specificity: Int {
        switch pin.match {
        case .prefix(let prefix): prefix.utf8.count
        case .range: Int.max
        }
    }
}
