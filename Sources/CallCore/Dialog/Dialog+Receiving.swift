import SIPCore

extension Dialog {
    /// Methods whose Contact replaces the remote target (RFC 3261 12.2, RFC 3311, RFC 6665).
    static let targetRefreshMethods: Set<SIPMethod> = [.invite, .update, .subscribe, .notify, .refer]

    /// A request arrived in this dialog (12.2.2): a CSeq below the remote
    /// sequence number is out of order (500); otherwise it becomes the remote
    /// sequence number and a target refresh request's Contact the remote
    /// target. ACK and CANCEL carry their INVITE's CSeq and are not checked.
    public mutating func receive(_ request: SIPMessage) throws(DialogError) {
        let method = request.method
        guard method != .ack && method != .cancel else { return }
        guard let cseq = try? request.cseq() else { throw .malformed("CSeq") }
        if let last = remoteCSeq, cseq.sequence < last {
            throw .cseqOutOfOrder(received: cseq.sequence, last: last)
        }
        remoteCSeq = cseq.sequence
        if Self.targetRefreshMethods.contains(method), let contact = (try? request.contacts())?.first {
            remoteTarget = contact.uri
        }
    }
}
