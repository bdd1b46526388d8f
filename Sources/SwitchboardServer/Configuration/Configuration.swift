/// The whole configuration file, decoded and validated: one struct per TOML table.
public struct Configuration: Hashable, Sendable {
    public var server: ServerSettings
    public var log: LogSettings
    public var sip: SIPSettings
    public var control: ControlSettings
    public var admin: AdminSettings
    public var proxy: ProxySettings
    public var registrar: RegistrarOptions
    public var auth: AuthSettings
    public var routing = RoutingSettings()
    public var emergency = EmergencySettings()
    public var media = MediaRelaySettings()

    public init(
        server: ServerSettings, log: LogSettings, sip: SIPSettings, control: ControlSettings, admin: AdminSettings,
        proxy: ProxySettings = ProxySettings(), registrar: RegistrarOptions = RegistrarOptions(), auth: AuthSettings = AuthSettings()
    ) {
        self.server = server
        self.log = log
        self.sip = sip
        self.control = control
        self.admin = admin
        self.proxy = proxy
        self.registrar = registrar
        self.auth = auth
    }

    /// Decodes the root table, reporting every problem to the section's diagnostics.
    init(reading root: inout ConfigurationSection) {
        var server = root.section("server")
        self.server = ServerSettings(reading: &server)
        server.rejectUnknownKeys()
        var log = root.section("log")
        self.log = LogSettings(reading: &log)
        log.rejectUnknownKeys()
        var sip = root.section("sip")
        self.sip = SIPSettings(reading: &sip)
        sip.rejectUnknownKeys()
        var control = root.section("control")
        self.control = ControlSettings(reading: &control)
        control.rejectUnknownKeys()
        var admin = root.section("admin")
        self.admin = AdminSettings(reading: &admin)
        admin.rejectUnknownKeys()
        var proxy = root.section("proxy")
        self.proxy = ProxySettings(reading: &proxy)
        proxy.rejectUnknownKeys()
        var registrar = root.section("registrar")
        self.registrar = RegistrarOptions(reading: &registrar)
        registrar.rejectUnknownKeys()
        var auth = root.section("auth")
        self.auth = AuthSettings(reading: &auth)
        auth.rejectUnknownKeys()
        self.routing = RoutingSettings(reading: &root)
        emergency = EmergencySettings(reading: root.section("emergency"))
        var media = root.section("media")
        self.media = MediaRelaySettings(reading: &media)
        media.rejectUnknownKeys()
        root.rejectUnknownKeys()
    }
}
