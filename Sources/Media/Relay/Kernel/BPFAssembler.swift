/// Builds a BPF program from instructions and named jump targets: a jump names its label, and
/// ``assembled()`` turns each into the instruction-relative offset the kernel expects.
struct BPFAssembler {
    private(set) var instructions: [BPFInstruction] = []
    private var labels: [BPFLabel: Int] = [:]
    private var pending: [(index: Int, label: BPFLabel)] = []

    mutating func emit(_ instruction: BPFInstruction) {
        instructions.append(instruction)
    }

    mutating func emit(_ instructions: [BPFInstruction]) {
        self.instructions += instructions
    }

    /// Marks the next instruction as `label`.
    mutating func mark(_ label: BPFLabel) {
        precondition(labels[label] == nil, "label \(label.name) marked twice")
        labels[label] = instructions.count
    }

    /// `if register COND imm goto label`.
    mutating func jump(_ condition: BPFJumpCondition, _ register: BPFRegister, _ immediate: Int32, to label: BPFLabel) {
        pending.append((instructions.count, label))
        emit(.jump(condition, register, immediate, offset: 0))
    }

    /// `if register COND source goto label`.
    mutating func jump(_ condition: BPFJumpCondition, _ register: BPFRegister, _ source: BPFRegister, to label: BPFLabel) {
        pending.append((instructions.count, label))
        emit(.jump(condition, register, source, offset: 0))
    }

    /// `goto label`.
    mutating func jump(to label: BPFLabel) {
        pending.append((instructions.count, label))
        emit(.jump(offset: 0))
    }

    /// The instructions with every jump resolved; a label never marked is a programming error.
    func assembled() -> [BPFInstruction] {
        var result = instructions
        for (index, label) in pending {
            guard let target = labels[label] else { preconditionFailure("label \(label.name) never marked") }
            result[index].offset = Int16(target - index - 1)
        }
        return result
    }
}

/// A jump target in a program being assembled.
struct BPFLabel: Hashable, Sendable {
    let name: String

    init(_ name: String) {
        self.name = name
    }
}
