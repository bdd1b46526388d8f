/// What a dialled string turned out to be once the source's dial plan is applied.
public enum DialledNumber: Sendable, Hashable {
    /// A number routable over the PSTN.
    case e164(E164Number)
    /// A short service code of the source's country (`911`, `933`, `112`, `999`):
    /// not E.164, routed by policy (the emergency layer), never by rate.
    case serviceCode(String)

    /// The E.164 number, if this is one.
    public var e164: E164Number? {
        if case .e164(let number) = self { return number }
        return nil
    }
}
