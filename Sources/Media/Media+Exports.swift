// Socket addresses are part of this module's API (relay ports, peers).
@_exported import SocketCore
