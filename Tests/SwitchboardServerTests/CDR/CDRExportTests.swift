import CallCore
import Foundation
import Testing
@testable import SwitchboardServer

@Suite("CDR export: CSV (RFC 4180) and time bounds")
struct CDRExportTests {
    /// Splits RFC 4180 text into records of fields, honouring quoted fields.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else if c == "\r\n" {
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
            } else {
                field.append(c)
            }
        }
        return records
    }

    @Test("RFC 4180 2.5-2.7: fields with commas, quotes or line breaks are quoted, quotes doubled; others are not")
    func quoting() {
        #expect(CSVLine.quote("plain +14155550100") == "plain +14155550100")
        #expect(CSVLine.quote("a,b") == "\"a,b\"")
        #expect(CSVLine.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVLine.quote("two\nlines") == "\"two\nlines\"")
        #expect(CSVLine.quote("cr\rhere") == "\"cr\rhere\"")
        #expect(CSVLine.make(["a", "", "b,c"]) == "a,,\"b,c\"\r\n")
    }

    @Test("RFC 4180 2.1-2.3: a header row, then one CRLF-terminated record per call that parses back to its fields")
    func calls() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        try store.insert([CDRSamples.cancelled(), CDRSamples.answered()])
        var text = ""
        let count = try CDRExport(query: CDRQuery()).write(from: store) { text += $0 }
        #expect(count == 2)
        #expect(text.hasSuffix("\r\n"))
        let records = Self.parseCSV(text)
        #expect(records.count == 3)
        #expect(records[0] == CDRExport.callHeader)
        #expect(records.allSatisfy { $0.count == CDRExport.callHeader.count })
        let answered = Dictionary(uniqueKeysWithValues: zip(records[0], records[1]))
        #expect(answered["call_uuid"] == "0f8e-answered")
        #expect(answered["start"] == "2025-03-01T14:05:09.000Z")
        #expect(answered["answer"] == "2025-03-01T14:05:19.000Z")
        #expect(answered["end"] == "2025-03-01T14:06:20.200Z")
        #expect(answered["duration"] == "62")
        #expect(answered["cost"] == "0.013200")
        #expect(answered["currency"] == "USD")
        #expect(answered["cause"] == "normal_clearing")
        #expect(answered["carrier"] == "vonage")
        #expect(answered["packets_lost"] == "4")
        let cancelled = Dictionary(uniqueKeysWithValues: zip(records[0], records[2]))
        #expect(cancelled["call_id"] == "call,with \"quotes\"\r\nand lines")
        #expect(cancelled["caller"] == "Bob, \"the\" builder")
        #expect(cancelled["answer"] == "")
        #expect(cancelled["cost"] == "")
        #expect(cancelled["cause"] == "caller_cancel")
    }

    @Test("--attempts: one row per attempt, with the failover flag")
    func attempts() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        try store.insert([CDRSamples.answered()])
        var text = ""
        try CDRExport(query: CDRQuery(), rows: .attempts).write(from: store) { text += $0 }
        let records = Self.parseCSV(text)
        #expect(records.map { $0.count } == [11, 11, 11])
        #expect(records[0] == CDRExport.attemptHeader)
        #expect(records[1][2] == "twilio")
        #expect(records[1][3] == "sip:+442079460018@example.pstn.twilio.com;transport=tls")
        #expect(records[1][8] == "503")
        #expect(records[1][10] == "yes")
        #expect(records[2][4] == "2025-03-01T14:05:09.400Z")
        #expect(records[2][5] == "2025-03-01T14:05:10.500Z")
        #expect(records[2][10] == "no")
    }

    @Test("--since 24h exports only the calls that started in the last day")
    func since() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let now = CDRSamples.march1
        try store.insert([
            CDRSamples.answered(uuid: "two-days-ago", start: now - 2 * 86_400),
            CDRSamples.answered(uuid: "exactly-a-day-ago", start: now - 86_400),
            CDRSamples.answered(uuid: "an-hour-ago", start: now - 3600),
        ])
        let since = try #require(CDRTimestamp.parse("24h", now: now))
        var text = ""
        try CDRExport(query: CDRQuery(since: since)).write(from: store) { text += $0 }
        #expect(Self.parseCSV(text).dropFirst().map { $0[0] } == ["exactly-a-day-ago", "an-hour-ago"])
        text = ""
        let until = try #require(CDRTimestamp.parse("2025-02-28T14:05:09Z", now: now))
        try CDRExport(query: CDRQuery(until: until)).write(from: store) { text += $0 }
        #expect(Self.parseCSV(text).dropFirst().map { $0[0] } == ["two-days-ago"])
    }

    @Test("ISO 8601 times in UTC: formatted with milliseconds, parsed with Z, offsets, fractions or a date alone")
    func timestamps() {
        #expect(CDRTimestamp.format(0) == "1970-01-01T00:00:00.000Z")
        #expect(CDRTimestamp.format(951_782_400.5) == "2000-02-29T00:00:00.500Z")
        #expect(CDRTimestamp.format(-1) == "1969-12-31T23:59:59.000Z")
        #expect(CDRTimestamp.parse("2025-03-01T14:05:09Z", now: 0) == CDRSamples.march1)
        #expect(CDRTimestamp.parse("2025-03-01T14:05:09.250Z", now: 0) == CDRSamples.march1 + 0.25)
        #expect(CDRTimestamp.parse("2025-03-01T09:05:09-05:00", now: 0) == CDRSamples.march1)
        #expect(CDRTimestamp.parse("2025-03-01T15:05+01:00", now: 0) == CDRSamples.march1 - 9)
        #expect(CDRTimestamp.parse("2025-03-01 14:05:09", now: 0) == CDRSamples.march1)
        #expect(CDRTimestamp.parse("2025-03-01", now: 0) == CDRSamples.march1 - 14 * 3600 - 5 * 60 - 9)
        for text in ["2025-02-30", "2025-03-01T25:00Z", "2025-03-01T14:05:09Zjunk", "yesterday", "", "24", "h", "2025-3-1"] {
            #expect(CDRTimestamp.parse(text, now: 0) == nil, "\(text)")
        }
    }

    @Test("durations back from now: s, m, h, d, w and sums")
    func durations() {
        #expect(CDRTimestamp.parse("24h", now: 100_000) == 13_600)
        #expect(CDRTimestamp.parse("90s", now: 1000) == 910)
        #expect(CDRTimestamp.parse("1h30m", now: 10_000) == 4600)
        #expect(CDRTimestamp.parse("7d", now: 0) == -604_800)
        #expect(CDRTimestamp.parse("2w", now: 0) == -1_209_600)
    }
}
