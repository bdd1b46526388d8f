import Testing
@testable import Media

@Suite("eBPF instruction encoding")
struct BPFInstructionTests {
    @Test("BPF ISA encoding: mov64 r6, r1 is opcode 0xbf with dst in the low and src in the high nibble")
    func moveRegister() {
        #expect(BPFInstruction.move(.r6, .r1).bytes == [0xBF, 0x16, 0, 0, 0, 0, 0, 0])
    }

    @Test("BPF ISA encoding: mov64 r0, -1 sign-extends a little-endian immediate")
    func moveImmediate() {
        #expect(BPFInstruction.move(.r0, -1).bytes == [0xB7, 0x00, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test("BPF ISA encoding: ldxw r2, [r6+76] (skb->data) and stxh [r10-8], r4")
    func loadsAndStores() {
        #expect(BPFInstruction.load(.word, .r2, .r6, 76).bytes == [0x61, 0x62, 76, 0, 0, 0, 0, 0])
        #expect(BPFInstruction.store(.half, .r10, -8, .r4).bytes == [0x6B, 0x4A, 0xF8, 0xFF, 0, 0, 0, 0])
        #expect(BPFInstruction.store(.doubleWord, .r10, -96, 0).bytes == [0x7A, 0x0A, 0xA0, 0xFF, 0, 0, 0, 0])
    }

    @Test("BPF ISA encoding: lock *(u64 *)(r7+16) += r1 is BPF_STX|BPF_DW|BPF_ATOMIC with imm BPF_ADD")
    func atomicAdd() {
        #expect(BPFInstruction.atomicAdd(.doubleWord, .r7, 16, .r1).bytes == [0xDB, 0x17, 16, 0, 0, 0, 0, 0])
    }

    @Test("BPF ISA encoding: the map load is a two-slot lddw with src BPF_PSEUDO_MAP_FD")
    func mapLoad() {
        let slots = BPFInstruction.loadMap(.r1, descriptor: 7).flatMap(\.bytes)
        #expect(slots == [0x18, 0x11, 0, 0, 7, 0, 0, 0] + [UInt8](repeating: 0, count: 8))
    }

    @Test("BPF ISA encoding: be16, call, exit and a conditional jump")
    func controlFlow() {
        #expect(BPFInstruction.toBigEndian(.r4, bits: 16).bytes == [0xDC, 0x04, 0, 0, 16, 0, 0, 0])
        #expect(BPFInstruction.call(.fibLookup).bytes == [0x85, 0, 0, 0, 69, 0, 0, 0])
        #expect(BPFInstruction.exit.bytes == [0x95, 0, 0, 0, 0, 0, 0, 0])
        #expect(BPFInstruction.jump(.notEqual, .r4, 0x45, offset: 3).bytes == [0x55, 0x04, 3, 0, 0x45, 0, 0, 0])
        #expect(BPFInstruction.jump(.greater, .r4, .r3, offset: -2).bytes == [0x2D, 0x34, 0xFE, 0xFF, 0, 0, 0, 0])
    }

    @Test("Assembler: a jump to a label gets the offset from the instruction after it")
    func labels() {
        var a = BPFAssembler()
        let done = BPFLabel("done")
        a.jump(.equal, .r0, 0, to: done)
        a.emit(.move(.r0, 1))
        a.emit(.move(.r0, 2))
        a.mark(done)
        a.emit(.exit)
        #expect(a.assembled()[0].offset == 2)
    }
}
