import Foundation
@testable import SwitchboardServer

/// A complete E911 configuration: two SBCs, a last resort, three
/// dispatchable locations with callback numbers, user, MAC and network
/// assignments, a default, notifications. It has no gaps.
let completeEmergencyConfiguration = """
    [sip]
    listen = ["udp://203.0.113.10:5060", "tcp://127.0.0.1:5060"]
    domains = ["pbx.example.com"]

    [emergency]
    source = "udp://203.0.113.10:5060"
    attempt_timeout = 3
    failover_statuses = [408, 404]
    last_resort = "sip:911@carrier.example.net;transport=udp"
    fallback_callback_number = "+15125550000"
    notify_sip = ["sip:frontdesk@pbx.example.com"]
    notify_webhooks = ["http://127.0.0.1:8080/e911"]
    cdr_ring_size = 50
    callback_window = 45
    default_location = "hq-lobby"

    [emergency.primary]
    host = "e911-a.bandwidth.example"

    [emergency.secondary]
    host = "192.0.2.20"
    port = 5080

    [[emergency.location]]
    id = "hq-3"
    country = "us"
    A1 = "TX"
    A3 = "Austin"
    RD = "Congress"
    STS = "Ave"
    HNO = "100"
    FLR = "3"
    ROOM = "301"
    PC = "78701"
    NAM = "Example Corp"
    callback_number = "+15125550100"

    [[emergency.location]]
    id = "hq-lobby"
    country = "US"
    A1 = "TX"
    A3 = "Austin"
    RD = "Congress"
    STS = "Ave"
    HNO = "100"
    FLR = "1"
    LOC = "Lobby"
    callback_number = "+15125550101"

    [[emergency.location]]
    id = "warehouse"
    country = "US"
    A1 = "TX"
    A3 = "Round Rock"
    RD = "Industrial"
    HNO = "9"
    FLR = "1"
    callback_number = "+15125550102"
    endpoint_id = "wh-endpoint-7"

    [[emergency.assign]]
    user = "alice"
    location = "hq-3"

    [[emergency.assign]]
    network = "10.20.0.0/16"
    location = "warehouse"

    [[emergency.assign]]
    mac = "00:1A:2B:3C:4D:5E"
    location = "hq-lobby"

    """

/// Decodes `text` as `conf/x.toml` and returns the printed warnings; records nothing on errors.
func warningLines(_ text: String) throws -> [String] {
    try ConfigurationLoader().decodeWithWarnings(text, file: "conf/x.toml").warnings.map(\.description)
}

/// The snapshot of `text`, as a load builds it.
func emergencySnapshot(_ text: String) throws -> ConfigurationSnapshot {
    let (configuration, warnings) = try ConfigurationLoader().decodeWithWarnings(text, file: "conf/x.toml")
    return ConfigurationSnapshot(
        version: 1, loadedAt: .init(timeIntervalSince1970: 0), source: .file("conf/x.toml"),
        configuration: configuration, warnings: warnings.map(\.description))
}
