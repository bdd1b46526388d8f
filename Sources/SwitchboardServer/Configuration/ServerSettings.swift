#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `[server]`: node identity, data directory, sharding and drain.
public struct ServerSettings: Hashable, Sendable {
    /// Node name in logs, metrics and generated Call-IDs (the host name when configured empty).
    public var node: String
    /// Directory for the embedded database and the control socket.
    public var dataDirectory: String
    /// Configured shard count; 0 means one per core (see `effectiveShards`).
    public var shards: Int
    /// How long calls may continue after SIGTERM before the process exits.
    public var drainTimeout: Duration

    public init(node: String, dataDirectory: String = "./data", shards: Int = 0, drainTimeout: Duration = .seconds(30)) {
        self.node = node
        self.dataDirectory = dataDirectory
        self.shards = shards
        self.drainTimeout = drainTimeout
    }

    /// The number of shards to run: `shards`, or the number of active cores when it is 0.
    public var effectiveShards: Int {
        if shards > 0 { return shards }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    init(reading section: inout ConfigurationSection) {
        let node = section.string("node", default: "")
        if node.isEmpty {
            self.node = Self.hostName()
        } else {
            if node.utf8.count > 64 || !node.utf8.allSatisfy(Self.isNodeNameByte) {
                section.report(
                    .invalid("invalid node name \"\(node)\" (letters, digits, '-', '_' and '.', at most 64)"),
                    at: "node")
            }
            self.node = node
        }
        self.dataDirectory = section.string("data_dir", default: "./data")
        if dataDirectory.isEmpty {
            section.report(.invalid("must not be empty"), at: "data_dir")
        }
        self.shards = section.integer("shards", default: 0, range: 0...1024)
        self.drainTimeout = .seconds(section.integer("drain_timeout", default: 30, range: 0...86400))
    }

    private static func isNodeNameByte(_ byte: UInt8) -> Bool {
        ConfigurationKeyPath.isBareKeyByte(byte) || byte == UInt8(ascii: ".")
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "switchboard" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "switchboard" : name
    }
}
