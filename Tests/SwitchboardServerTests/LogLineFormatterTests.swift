import Logging
import Testing
@testable import SwitchboardServer

@Suite("Log lines")
struct LogLineFormatterTests {
    let time = LogTimestamp(secondsSinceEpoch: 1_795_662_000, milliseconds: 123)

    @Test("timestamps are RFC 3339 UTC with milliseconds")
    func timestamp() {
        #expect(time.description == "2026-11-26T03:00:00.123Z")
        #expect(LogTimestamp(secondsSinceEpoch: 0, milliseconds: 7).description == "1970-01-01T00:00:00.007Z")
    }

    @Test("text: one line, sorted key=value metadata, quoted when needed")
    func text() {
        let line = LogLineFormatter.text(
            time: time, level: .info, label: "switchboard", message: "config reloaded\nsecond line",
            metadata: ["version": "2", "source": "conf/a b.toml", "empty": ""])
        #expect(
            line
                == #"2026-11-26T03:00:00.123Z info switchboard: config reloaded\nsecond line empty="" source="conf/a b.toml" version=2"#
                + "\n")
    }

    @Test("json: one object per line, metadata flattened")
    func json() {
        let line = LogLineFormatter.json(
            time: time, level: .error, label: "switchboard", message: "say \"hi\"",
            metadata: ["version": "2", "level": "x", "list": .array(["a", "b"])])
        #expect(
            line
                == #"{"time":"2026-11-26T03:00:00.123Z","level":"error","logger":"switchboard","message":"say \"hi\"","list":["a","b"],"meta.level":"x","version":"2"}"#
                + "\n")
    }

    @Test("the handler follows level and format changes of its output")
    func handlerFollowsOutput() {
        let lines = LockedValue<[String]>([])
        let output = LogOutput(settings: LogSettings(level: .info, format: .text)) { line in
            lines.withLock { $0.append(line) }
        }
        let logger = Logger(label: "test") { SwitchboardLogHandler(label: $0, output: output) }
        logger.debug("hidden")
        logger.info("shown")
        output.apply(LogSettings(level: .debug, format: .json))
        logger.debug("now shown")
        let written = lines.current
        #expect(written.count == 2)
        #expect(written.first?.hasSuffix(" info test: shown\n") == true)
        #expect(written.last?.hasPrefix("{\"time\":") == true)
        #expect(written.last?.contains("\"message\":\"now shown\"") == true)
    }
}
