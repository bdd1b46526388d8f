import Foundation
import PacketCapture

/// The real captures in the repository's `pcap-fixtures/` (see its README for how each was made).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("pcap-fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func capture(_ name: String) throws -> CaptureFile {
        try CaptureFile(bytes: bytes(name))
    }

    static func udpPayloads(_ name: String) throws -> [[UInt8]] {
        try capture(name).transportPayloads().compactMap {
            if case .udp(_, _, let payload, _) = $0 { payload } else { nil }
        }
    }

    /// How many payloads start with each of the given SIP start-line prefixes.
    static func startLineCounts(_ payloads: [[UInt8]], _ prefixes: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for payload in payloads {
            for prefix in prefixes where payload.starts(with: prefix.utf8) {
                counts[prefix, default: 0] += 1
            }
        }
        return counts
    }
}

/// Splits a SIP byte stream into messages by Content-Length (RFC 3261 section 18.3), the way a stream transport must.
struct SIPStreamFramer {
    var messages: [String] = []
    /// Bytes after the last whole message.
    var leftover: [UInt8] = []

    init(_ stream: [UInt8]) {
        var rest = stream[...]
        while let end = rest.firstRange(of: Array("\r\n\r\n".utf8)) {
            let head = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self)
            var length = 0
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
                if parts.count == 2, name == "content-length" || name == "l" {
                    length = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            let total = end.upperBound - rest.startIndex + length
            guard rest.count >= total else { break }
            messages.append(String(decoding: rest.prefix(total), as: UTF8.self))
            rest = rest.dropFirst(total)
        }
        leftover = Array(rest)
    }

    var startLines: [String] {
        messages.map { String($0.prefix { $0 != "\r\n" }) }
    }
}
