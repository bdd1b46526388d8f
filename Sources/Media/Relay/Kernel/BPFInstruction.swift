/// One eBPF instruction as the kernel reads it: 8 bytes, the opcode, the destination register in
/// the low and the source register in the high nibble, a signed 16-bit offset and a signed 32-bit
/// immediate, little-endian (the kernel's instruction-set document, "Instruction encoding").
///
/// The constructors name what an instruction does (`load`, `store`, `add`, `call`); the opcode
/// bits are composed here and nowhere else.
struct BPFInstruction: Hashable, Sendable, CustomStringConvertible {
    var opcode: UInt8
    var destination: BPFRegister
    var source: BPFRegister
    var offset: Int16
    var immediate: Int32

    init(opcode: UInt8, destination: BPFRegister = .r0, source: BPFRegister = .r0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.opcode = opcode
        self.destination = destination
        self.source = source
        self.offset = offset
        self.immediate = immediate
    }

    /// The 8 bytes the kernel reads.
    var bytes: [UInt8] {
        let off = UInt16(bitPattern: offset)
        let imm = UInt32(bitPattern: immediate)
        return [
            opcode, source.rawValue << 4 | destination.rawValue,
            UInt8(off & 0xFF), UInt8(off >> 8),
            UInt8(imm & 0xFF), UInt8(imm >> 8 & 0xFF), UInt8(imm >> 16 & 0xFF), UInt8(imm >> 24),
        ]
    }

    var description: String {
        "op=0x\(String(opcode, radix: 16)) dst=\(destination) src=\(source) off=\(offset) imm=\(immediate)"
    }

    // MARK: opcode fields

    /// Instruction classes (the low 3 bits).
    enum Class: UInt8 {
        case load = 0x00, loadRegister = 0x01, storeImmediate = 0x02, storeRegister = 0x03
        case alu32 = 0x04, jump = 0x05, jump32 = 0x06, alu64 = 0x07
    }

    /// Memory access modes of load and store classes.
    enum Mode: UInt8 {
        case immediate = 0x00, memory = 0x60, atomic = 0xC0
    }

    /// Where an ALU or jump takes its second operand from: the immediate or the source register.
    static let sourceRegisterFlag: UInt8 = 0x08

    // MARK: moves and arithmetic

    /// `dst = src` (64 bits).
    static func move(_ destination: BPFRegister, _ source: BPFRegister) -> BPFInstruction {
        alu(.move, destination, source)
    }

    /// `dst = imm` (sign-extended to 64 bits).
    static func move(_ destination: BPFRegister, _ immediate: Int32) -> BPFInstruction {
        alu(.move, destination, immediate)
    }

    /// `dst = dst OP src` (64 bits).
    static func alu(_ operation: BPFALUOperation, _ destination: BPFRegister, _ source: BPFRegister) -> BPFInstruction {
        BPFInstruction(
            opcode: operation.rawValue | sourceRegisterFlag | Class.alu64.rawValue, destination: destination, source: source)
    }

    /// `dst = dst OP imm` (64 bits, imm sign-extended).
    static func alu(_ operation: BPFALUOperation, _ destination: BPFRegister, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(opcode: operation.rawValue | Class.alu64.rawValue, destination: destination, immediate: immediate)
    }

    /// `dst = htobe16(dst)` etc.: byte order of the low `bits` (16, 32, 64) to big-endian (network order).
    static func toBigEndian(_ register: BPFRegister, bits: Int32) -> BPFInstruction {
        // BPF_END with BPF_TO_BE (0x08) in the 32-bit ALU class.
        BPFInstruction(opcode: 0xD0 | 0x08 | Class.alu32.rawValue, destination: register, immediate: bits)
    }

    // MARK: memory

    /// `dst = *(size *)(src + offset)`, zero-extended.
    static func load(_ size: BPFSize, _ destination: BPFRegister, _ source: BPFRegister, _ offset: Int16) -> BPFInstruction {
        BPFInstruction(
            opcode: Mode.memory.rawValue | size.rawValue | Class.loadRegister.rawValue, destination: destination, source: source,
            offset: offset)
    }

    /// `*(size *)(dst + offset) = src`.
    static func store(_ size: BPFSize, _ destination: BPFRegister, _ offset: Int16, _ source: BPFRegister) -> BPFInstruction {
        BPFInstruction(
            opcode: Mode.memory.rawValue | size.rawValue | Class.storeRegister.rawValue, destination: destination, source: source,
            offset: offset)
    }

    /// `*(size *)(dst + offset) = imm`.
    static func store(_ size: BPFSize, _ destination: BPFRegister, _ offset: Int16, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(
            opcode: Mode.memory.rawValue | size.rawValue | Class.storeImmediate.rawValue, destination: destination, offset: offset,
            immediate: immediate)
    }

    /// `lock *(size *)(dst + offset) += src`: an atomic add (BPF_ATOMIC with BPF_ADD), word or double word.
    static func atomicAdd(_ size: BPFSize, _ destination: BPFRegister, _ offset: Int16, _ source: BPFRegister) -> BPFInstruction {
        precondition(size == .word || size == .doubleWord, "atomic add is word or double word")
        return BPFInstruction(
            opcode: Mode.atomic.rawValue | size.rawValue | Class.storeRegister.rawValue, destination: destination, source: source,
            offset: offset, immediate: Int32(BPFALUOperation.add.rawValue))
    }

    /// `dst = map` for a map descriptor: the two-slot 64-bit load with source BPF_PSEUDO_MAP_FD,
    /// which the verifier replaces with the map's address.
    static func loadMap(_ destination: BPFRegister, descriptor: Int32) -> [BPFInstruction] {
        [
            BPFInstruction(
                opcode: Mode.immediate.rawValue | BPFSize.doubleWord.rawValue | Class.load.rawValue, destination: destination,
                source: .pseudoMapDescriptor, immediate: descriptor),
            BPFInstruction(opcode: 0),
        ]
    }

    // MARK: control flow

    /// `if dst COND imm goto +offset` (64-bit compare).
    static func jump(_ condition: BPFJumpCondition, _ register: BPFRegister, _ immediate: Int32, offset: Int16) -> BPFInstruction {
        BPFInstruction(opcode: condition.rawValue | Class.jump.rawValue, destination: register, offset: offset, immediate: immediate)
    }

    /// `if dst COND src goto +offset` (64-bit compare).
    static func jump(_ condition: BPFJumpCondition, _ register: BPFRegister, _ source: BPFRegister, offset: Int16) -> BPFInstruction {
        BPFInstruction(
            opcode: condition.rawValue | sourceRegisterFlag | Class.jump.rawValue, destination: register, source: source, offset: offset)
    }

    /// `goto +offset`.
    static func jump(offset: Int16) -> BPFInstruction {
        BPFInstruction(opcode: 0x00 | Class.jump.rawValue, offset: offset)
    }

    /// `r0 = helper(r1, …, r5)`; r1-r5 are clobbered, r6-r9 kept.
    static func call(_ helper: BPFHelper) -> BPFInstruction {
        BPFInstruction(opcode: 0x80 | Class.jump.rawValue, immediate: helper.rawValue)
    }

    /// `return r0`.
    static let exit = BPFInstruction(opcode: 0x90 | Class.jump.rawValue)
}

/// The eBPF registers: r0 return value, r1-r5 arguments (clobbered by calls), r6-r9 kept across
/// calls, r10 the read-only frame pointer.
enum BPFRegister: UInt8, Sendable {
    case r0 = 0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10
    /// In the source field of a 64-bit immediate load: the immediate is a map descriptor.
    static let pseudoMapDescriptor = BPFRegister.r1
    static let framePointer = BPFRegister.r10
}

/// Access widths of loads and stores.
enum BPFSize: UInt8, Sendable {
    case word = 0x00, half = 0x08, byte = 0x10, doubleWord = 0x18
}

/// ALU operations (the high 4 bits of an ALU opcode).
enum BPFALUOperation: UInt8, Sendable {
    case add = 0x00, subtract = 0x10, multiply = 0x20, or = 0x40, and = 0x50, leftShift = 0x60, rightShift = 0x70
    case xor = 0xA0, move = 0xB0
}

/// Jump conditions (the high 4 bits of a jump opcode); comparisons are unsigned.
enum BPFJumpCondition: UInt8, Sendable {
    case equal = 0x10, greater = 0x20, greaterOrEqual = 0x30, bitsSet = 0x40, notEqual = 0x50
    case less = 0xA0, lessOrEqual = 0xB0
}
