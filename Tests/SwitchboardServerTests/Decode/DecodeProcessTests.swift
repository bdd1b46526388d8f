import Foundation
import Testing

@Suite("switchboard decode process")
struct DecodeProcessTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/SIPCoreTests/Fixtures/rfc4475")

    @Test("a valid message: JSON on standard output, exit 0")
    func valid() throws {
        let child = try SwitchboardProcessTests.Child(
            try SwitchboardProcessTests.binary(), ["decode", Self.fixtures.appendingPathComponent("esc01.sip").path], in: repositoryRoot)
        #expect(child.waitForExit() == 0)
        #expect(child.log.contains(#""user": "sips:user@example.com""#), "\(child.log)")
    }

    @Test("RFC 4475 3.1.2.16: an invalid message exits 1 naming the status and reason")
    func invalid() throws {
        let child = try SwitchboardProcessTests.Child(
            try SwitchboardProcessTests.binary(), ["decode", Self.fixtures.appendingPathComponent("badvers.sip").path], in: repositoryRoot)
        #expect(child.waitForExit() == 1)
        #expect(child.log.contains("invalid: 505 Version Not Supported: SIP/7.0"), "\(child.log)")
    }

    @Test("a capture: every message, one JSON object per line")
    func capture() throws {
        let child = try SwitchboardProcessTests.Child(
            try SwitchboardProcessTests.binary(), ["decode", "--json-lines", "pcap-fixtures/register-digest.pcap"], in: repositoryRoot)
        #expect(child.waitForExit() == 0)
        let lines = child.log.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count == 4, "\(child.log)")
        #expect(lines.allSatisfy { $0.contains(#""verdict":"valid""#) })
    }

    @Test("a file that is not there: exit 1 with the reason")
    func missing() throws {
        let child = try SwitchboardProcessTests.Child(
            try SwitchboardProcessTests.binary(), ["decode", "/nonexistent/file.sip"], in: repositoryRoot)
        #expect(child.waitForExit() == 1)
        #expect(child.log.contains("/nonexistent/file.sip: cannot read"), "\(child.log)")
    }
}
