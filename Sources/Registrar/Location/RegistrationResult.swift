/// An accepted REGISTER: the AOR's new binding set, the changes that make it
/// durable, and the 200 to send once they are.
public struct RegistrationResult: Sendable, Hashable {
    public var aor: AddressOfRecord
    /// The live bindings before this request, to restore if persisting fails.
    public var previous: [Binding]
    /// The AOR's live bindings after this request.
    public var bindings: [Binding]
    /// Store changes, empty for a query (REGISTER without Contact).
    public var changes: [BindingChange]
    public var reply: RegistrationReply
    /// Whether RFC 5626 outbound processing applied.
    public var usedOutbound: Bool

    public init(
        aor: AddressOfRecord, previous: [Binding], bindings: [Binding], changes: [BindingChange], reply: RegistrationReply,
        usedOutbound: Bool
    ) {
        self.aor = aor
        self.previous = previous
        self.bindings = bindings
        self.changes = changes
        self.reply = reply
        self.usedOutbound = usedOutbound
    }
}
