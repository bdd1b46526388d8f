import Foundation

/// A temporary directory with two carriers' rate decks and a configuration
/// naming them: "cheap" bills 60/60, "fine" bills per second with a connection fee.
struct RoutingFixture {
    let directory: URL
    let configuration: URL

    static let cheapDeck = """
        prefix,destination,rate,increment,connection_fee,effective_date
        1,United States and Canada,0.0040,60/60,,
        1415,San Francisco,0.0060,60/60,,
        44,United Kingdom,0.0150,60/60,,
        44,United Kingdom,0.0100,60/60,,2030-01-01

        """

    static let fineDeck = """
        prefix,destination,rate,increment,connection_fee
        1,United States and Canada,0.0050,1/1,0.0010
        1415,San Francisco,0.0030,1/1,
        1212,New York,0.0070,1/1,

        """

    /// The configuration text; `extra` is appended (routing rules).
    static func text(deckDirectory: String, extra: String = "") -> String {
        """
        [log]
        level = "warning"

        [[carrier]]
        name = "cheap"
        profile = "twilio"
        primary = "acme.pstn.twilio.com"
        secondary = "acme.pstn.ashburn.twilio.com"
        rate_deck = "\(deckDirectory)/cheap.csv"

        [[carrier]]
        name = "fine"
        profile = "plivo"
        primary = "12345.zt.plivo.com:5070"
        transport = "tcp"
        rate_deck = "\(deckDirectory)/fine.csv"

        [[routing.block]]
        prefix = "1900"
        reason = "premium rate"

        [[routing.pin]]
        prefix = "1212"
        carriers = ["cheap"]
        exclusive = true

        [[routing.dial_plan]]
        name = "london"
        sources = ["10.20.0.0/16"]
        users = ["+4420*"]
        preset = "uk"

        \(extra)
        """
    }

    init(extra: String = "", cheapDeck: String = Self.cheapDeck) throws {
        directory = try makeTemporaryDirectory()
        try cheapDeck.write(to: directory.appendingPathComponent("cheap.csv"), atomically: true, encoding: .utf8)
        try Self.fineDeck.write(to: directory.appendingPathComponent("fine.csv"), atomically: true, encoding: .utf8)
        configuration = directory.appendingPathComponent("switchboard.toml")
        try Self.text(deckDirectory: directory.path, extra: extra)
            .write(to: configuration, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
