import ArgumentParser
import Foundation
import SIPCore
import SwitchboardServer

/// `switchboard decode FILE|-`: a SIP message or a capture, as JSON.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print a SIP message, or every SIP message of a pcap/pcapng capture, as JSON.",
        discussion: """
            Input is a raw SIP message (as sent on the wire) or a capture file; "-" reads standard input. \
            Each message shows its start line, header lines, typed headers, SDP and a verdict. \
            Exits with status 1, naming the reason on standard error, when a message is invalid.
            """
    )

    @Argument(help: ArgumentHelp("Message or capture file, or - for standard input.", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "One compact JSON object per line instead of indented JSON.")
    var jsonLines = false

    @Flag(name: .long, help: "Frame the input as a stream (TCP) rather than one datagram.")
    var stream = false

    func run() throws {
        let bytes: [UInt8]
        do {
            if file == "-" {
                bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            } else {
                bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            }
        } catch {
            Self.fail("\(file): cannot read: \(error.localizedDescription)")
        }
        let reports: [MessageReport]
        let isCapture = CaptureMessages.isCapture(bytes)
        if isCapture {
            do {
                reports = try CaptureMessages.reports(from: bytes)
            } catch {
                Self.fail("\(file): \(error)")
            }
        } else if stream {
            var framer = StreamFramer(maxMessageSize: 1 << 20)
            framer.append(bytes)
            var list: [MessageReport] = []
            do {
                while let frame = try framer.next() {
                    if case .message(let m) = frame { list.append(MessageReport(bytes: m, framing: .stream)) }
                }
                if framer.bufferedCount > 0 {
                    list.append(MessageReport(framingError: SIPParseError(status: 400, reason: "Incomplete message at end of input"), bytes: [], origin: nil))
                }
            } catch {
                list.append(MessageReport(framingError: error, bytes: [], origin: nil))
            }
            reports = list
        } else {
            reports = [MessageReport(bytes: bytes)]
        }

        if jsonLines {
            for r in reports { print(r.document.rendered(pretty: false)) }
        } else if reports.count == 1 && !isCapture {
            print(reports[0].document.rendered())
        } else {
            print(JSONDocument.array(reports.map(\.document)).rendered())
        }
        let invalid = reports.enumerated().filter { !$0.element.isValid }
        for (i, r) in invalid {
            FileHandle.standardError.write(Data("\(file): message \(i + 1): invalid: \(r.error?.description ?? "")\n".utf8))
        }
        if !invalid.isEmpty { throw ExitCode.failure }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(1)
    }
}
