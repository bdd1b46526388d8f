/// An `http://` URL the emergency notification JSON is POSTed to (a
/// security desk's alerting system, a chat relay). Plain HTTP only: put a
/// local relay in front of an HTTPS service.
public struct EmergencyWebhook: Hashable, Sendable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    public var port: UInt16
    /// Path and query, at least `/`.
    public var target: String

    public init(host: String, port: UInt16 = 80, target: String = "/") {
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses `http://HOST[:PORT][/PATH[?QUERY]]`.
    public init(parsing text: String) throws(ConfigurationError.Problem) {
        let lower = text.lowercased()
        if lower.hasPrefix("https://") {
            throw .invalid("https:// webhooks are not supported, use http:// (e.g. a local relay): \"\(text)\"")
        }
        guard lower.hasPrefix("http://") else { throw .invalid("not an http:// URL: \"\(text)\"") }
        let rest = text.dropFirst("http://".count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<end]
        var target = String(rest[end...])
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        guard !authority.contains("@") else { throw .invalid("user information is not allowed in a webhook URL: \"\(text)\"") }
        guard !target.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f || $0 == "#" }) else {
            throw .invalid("the path must not contain spaces, control characters or '#': \"\(text)\"")
        }
        var hostText = authority
        var port: UInt16 = 80
        let portSeparator: Substring.Index?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalid("missing \"]\" in \"\(text)\"") }
            hostText = authority[...close]
            portSeparator = authority.index(after: close) < authority.endIndex ? authority.index(after: close) : nil
            if let separator = portSeparator, authority[separator] != ":" { throw .invalid("invalid host in \"\(text)\"") }
        } else {
            portSeparator = authority.firstIndex(of: ":")
            if let separator = portSeparator { hostText = authority[..<separator] }
        }
        if let separator = portSeparator {
            let portText = authority[authority.index(after: separator)...]
            guard let number = UInt16(portText), number > 0 else { throw .invalid("invalid port \"\(portText)\" in \"\(text)\"") }
            port = number
        }
        guard let host = EmergencySettings.sipHost(String(hostText)) else {
            throw .invalid("not a host name or IP address: \"\(hostText)\" in \"\(text)\"")
        }
        self.init(host: host, port: port, target: target)
    }

    /// `http://host[:port]/path`.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h)\(port == 80 ? "" : ":\(port)")\(target)"
    }
}
