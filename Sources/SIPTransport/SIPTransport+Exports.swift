// Socket addresses are part of this module's API (listeners, targets, inbound messages).
@_exported import SocketCore
