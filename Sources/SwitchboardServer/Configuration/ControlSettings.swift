/// `[control]`: the Unix-domain socket `switchboard ctl` talks to.
public struct ControlSettings: Hashable, Sendable {
    public var socketPath: String

    public init(socketPath: String = "./data/switchboard.ctl") {
        self.socketPath = socketPath
    }

    /// `sockaddr_un.sun_path` holds 108 bytes including the terminating NUL.
    static let maxSocketPathLength = 107

    init(reading section: inout ConfigurationSection) {
        self.socketPath = section.string("socket", default: "./data/switchboard.ctl")
        if socketPath.isEmpty {
            section.report(.invalid("must not be empty"), at: "socket")
        } else if socketPath.utf8.count > Self.maxSocketPathLength {
            section.report(
                .invalid("path is \(socketPath.utf8.count) bytes, longer than the \(Self.maxSocketPathLength) a socket path may have"),
                at: "socket")
        }
    }
}
