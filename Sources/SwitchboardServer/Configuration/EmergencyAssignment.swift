import Emergency

/// `[[emergency.assign]]`: one caller, device or network placed at one
/// `[[emergency.location]]`. A device assignment beats a user assignment
/// beats a network assignment beats `default_location`.
public struct EmergencyAssignment: Hashable, Sendable {
    /// Who or what is assigned.
    public enum Subject: Hashable, Sendable, CustomStringConvertible {
        /// An AOR user part (`alice`).
        case user(String)
        /// A `+sip.instance`, a MAC address or a User-Agent identifier.
        case device(DeviceKey)
        /// Callers whose source address is in this network.
        case network(IPNetwork)

        public var description: String {
            switch self {
            case .user(let user): return "user \(user)"
            case .device(let key): return "device \(key)"
            case .network(let network): return "network \(network)"
            }
        }
    }

    public var subject: Subject
    /// The `id` of an `[[emergency.location]]`.
    public var location: String

    public init(subject: Subject, location: String) {
        self.subject = subject
        self.location = location
    }

    /// The selector keys; each table names exactly one.
    static let selectors = ["user", "instance", "mac", "user_agent", "network"]

    /// Reads every `[[emergency.assign]]`, reporting unknown location ids,
    /// malformed selectors and subjects assigned twice.
    static func readAll(_ section: inout ConfigurationSection, locationIDs: Set<String>) -> [EmergencyAssignment] {
        var result: [EmergencyAssignment] = []
        var firstPath: [Subject: ConfigurationKeyPath] = [:]
        for var table in section.tables("assign") {
            let location = table.string("location", default: "")
            var locationValid = true
            if location.isEmpty {
                table.report(.invalid("the id of an [[emergency.location]] is required"), at: "location")
                locationValid = false
            } else if !locationIDs.contains(location) {
                table.report(.invalid("no [[emergency.location]] has id \"\(location)\""), at: "location")
                locationValid = false
            }
            let given = selectors.filter { table.has($0) }
            var subjects: [(Subject, String)] = []
            for key in selectors {
                let text = table.string(key, default: "")
                guard table.has(key) else { continue }
                guard !text.isEmpty else {
                    table.report(.invalid("must not be empty"), at: key)
                    continue
                }
                do {
                    subjects.append((try subject(key, text), key))
                } catch {
                    table.report(error, at: key)
                }
            }
            table.rejectUnknownKeys()
            if given.count != 1 {
                let at = given.count > 1 ? given[1] : "location"
                table.report(.invalid("give exactly one of \(ConfigurationError.Problem.alternatives(selectors))"), at: at)
                continue
            }
            guard locationValid, let (subject, key) = subjects.first else { continue }
            let path = table.path.appending(key)
            if let first = firstPath[subject] {
                table.report(.duplicate("assignment of \(subject)", of: first.description), at: key)
                continue
            }
            firstPath[subject] = path
            result.append(EmergencyAssignment(subject: subject, location: location))
        }
        return result
    }

    static func subject(_ key: String, _ text: String) throws(ConfigurationError.Problem) -> Subject {
        do {
            switch key {
            case "user": return .user(text)
            case "instance": return .device(.instance(text))
            case "mac": return .device(try DeviceKey.mac(text))
            case "user_agent": return .device(.userAgent(text))
            default:
                let network = try IPNetwork(text)
                let written = text.split(separator: "/").first.map(String.init) ?? text
                if let address = try? IPAddress(written), address != network.address {
                    throw ConfigurationError.Problem.invalid("\(text) has host bits set (did you mean \(network)?)")
                }
                return .network(network)
            }
        } catch let problem as ConfigurationError.Problem {
            throw problem
        } catch {
            throw .invalid("\(error)")
        }
    }
}
