/// `[admin]`: the HTTP endpoint for metrics and health checks.
public struct AdminSettings: Hashable, Sendable {
    /// Where to serve `/metrics` and `/health`; `nil` disables the endpoint.
    public var listen: IPEndpoint?

    public init(listen: IPEndpoint?) {
        self.listen = listen
    }

    init(reading section: inout ConfigurationSection) {
        let text = section.string("listen", default: "127.0.0.1:9090")
        if text.isEmpty {
            self.listen = nil
            return
        }
        do {
            self.listen = try IPEndpoint(parsing: Substring(text), defaultPort: nil)
        } catch {
            section.report(error, at: "listen")
            self.listen = nil
        }
    }
}
