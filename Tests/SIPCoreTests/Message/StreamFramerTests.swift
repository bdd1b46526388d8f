import Testing

@testable import SIPCore

@Suite("RFC 3261 18.3 and RFC 5626 4.4.1: stream framing")
struct StreamFramerTests {
    let message = Array(Sample.invite.utf8)

    @Test("a message delivered one byte at a time comes out whole, once")
    func byteAtATime() throws {
        var framer = StreamFramer()
        var frames: [StreamFramer.Frame] = []
        for b in message {
            framer.append([b])
            while let f = try framer.next() { frames.append(f) }
        }
        #expect(frames == [.message(message)])
        #expect(framer.bufferedCount == 0)
    }

    @Test("three messages and keep-alives in one read")
    func threeAtOnce() throws {
        var framer = StreamFramer()
        framer.append(message + Array("\r\n\r\n".utf8) + message + message + Array("\r\n".utf8))
        var frames: [StreamFramer.Frame] = []
        while let f = try framer.next() { frames.append(f) }
        #expect(frames == [.message(message), .ping, .message(message), .message(message), .pong])
        let parsed = try SIPMessage(bytes: message, framing: .stream)
        #expect(parsed.serialized() == message)
    }

    @Test("a half message waits for the rest; a header section over the limit is refused")
    func partialAndLimit() throws {
        var framer = StreamFramer(maxMessageSize: 200)
        framer.append(message.prefix(150))
        #expect(try framer.next() == nil)
        framer.append(message[150..<250])
        #expect(throws: SIPParseError.self) { try framer.next() }
    }

    @Test("a malformed Content-Length makes the stream unframeable")
    func badContentLength() {
        var framer = StreamFramer()
        framer.append(Array("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n".utf8))
        #expect(throws: SIPParseError.self) { try framer.next() }
    }
}
