import Routing
import SIPCore

/// One `[[did]]`: numbers the carriers deliver to Switchboard and where
/// their calls go, a user of a local domain (its registered contacts) or a
/// SIP URI (a PBX).
public struct DIDSettings: Hashable, Sendable {
    /// The numbers, E.164 after the delivering carrier's `number_format` is undone.
    public var numbers: NumberRange
    /// `sip:alice@example.com` (registered contacts when the host is one of
    /// `[sip] domains`) or `sip:pbx.example.com:5060` (a PBX; the dialled
    /// number becomes the user part when the URI has none).
    public var target: SIPURI
    /// Where the table starts (`did[0]`), for logs.
    public let path: ConfigurationKeyPath

    init(reading section: inout ConfigurationSection) {
        path = section.path
        let text = section.string("number", default: "")
        if text.isEmpty { section.report(.invalid("required: a number, a range or a prefix"), at: "number") }
        numbers = NumberRange(first: E164Number(digits: "1")!, last: E164Number(digits: "1")!)
        if !text.isEmpty {
            switch NumberRange.parse(text) {
            case .success(let range): numbers = range
            case .failure(let error): section.report(.invalid(error.description), at: "number")
            }
        }
        let targetText = section.string("target", default: "")
        target = Self.placeholder
        if targetText.isEmpty {
            section.report(.invalid("required: sip:USER@DOMAIN of a local user or the PBX's sip:HOST[:PORT]"), at: "target")
        } else if let uri = try? SIPURI(targetText), uri.scheme == .sip || uri.scheme == .sips {
            target = uri
        } else {
            section.report(.invalid("expected a sip: or sips: URI (got \"\(targetText)\")"), at: "target")
        }
    }

    public init(numbers: NumberRange, target: SIPURI) {
        self.numbers = numbers
        self.target = target
        path = ConfigurationKeyPath(keys: ["did"])
    }

    private static let placeholder: SIPURI = {
        do { return try SIPURI("sip:invalid") } catch { preconditionFailure("sip:invalid parses: \(error)") }
    }()
}
