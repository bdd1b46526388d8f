/// The dotted path of a value in the configuration file, such as `sip.listen[1]`
/// or `sip.limits.max_via`: how errors name what they are about.
public struct ConfigurationKeyPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path: a table key or an array index.
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// A path of table keys only, e.g. `["sip", "limits"]`.
    public init(keys: [String]) {
        self.components = keys.map { .key($0) }
    }

    public static let root = ConfigurationKeyPath()

    public var isRoot: Bool { components.isEmpty }

    public func appending(_ key: String) -> ConfigurationKeyPath {
        ConfigurationKeyPath(components + [.key(key)])
    }

    public func appending(index: Int) -> ConfigurationKeyPath {
        ConfigurationKeyPath(components + [.index(index)])
    }

    /// The path without its last component; the root stays the root.
    public var parent: ConfigurationKeyPath {
        ConfigurationKeyPath(Array(components.dropLast()))
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += Self.isBare(key) ? key : "\"\(key)\""
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Whether a key can be written without quotes in TOML.
    static func isBare(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy(isBareKeyByte)
    }

    /// `A-Z a-z 0-9 _ -`, the bytes of a bare TOML key.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
