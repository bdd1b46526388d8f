/// The state of a server transaction, for inspection (tests, `ctl`).
public enum ServerTransactionState: Sendable, Hashable {
    case invite(ServerInviteTransaction.State)
    case nonInvite(ServerNonInviteTransaction.State)
}

/// The state of a client transaction, for inspection (tests, `ctl`).
public enum ClientTransactionState: Sendable, Hashable {
    case invite(ClientInviteTransaction.State)
    case nonInvite(ClientNonInviteTransaction.State)
    /// A CANCEL waiting for its INVITE's first provisional response (RFC 3261 9.1).
    case cancelWaitingForProvisional
}
