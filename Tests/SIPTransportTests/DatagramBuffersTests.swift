import Testing

@testable import SIPTransport

@Suite("Datagram buffers")
struct DatagramBuffersTests {
    @Test("the send-only form has no receive slots and sends a batch in one sendmmsg")
    func sendOnlyBatch() throws {
        let buffers = DatagramBuffers(sendingOnly: 4)
        #expect(buffers.count == 4)
        #expect(buffers.receiveCount == 0)

        let sender = try UDPPeer()
        let receiver = try UDPPeer()
        let texts = ["one", "two", String(repeating: "3", count: 70_000 / 10)]
        buffers.prepareSend(texts.map { OutgoingDatagram(bytes: Array($0.utf8), destination: receiver.local) }[...])
        let sent = try Syscall.sendmmsg(sender.fd, buffers.sendHeaders, count: texts.count)
        #expect(sent == texts.count)
        for text in texts {
            #expect(try receiver.receiveText() == text)
        }
    }

    @Test("the receiving form has a slot per datagram of a call")
    func receivingForm() {
        let buffers = DatagramBuffers(count: 4, slotSize: 2048)
        #expect(buffers.receiveCount == 4)
        #expect(buffers.slotCapacity == 2048)
    }
}
