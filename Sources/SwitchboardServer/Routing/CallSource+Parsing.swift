#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CallSource {
    /// An IPv4 or IPv6 address (brackets allowed) is a source address; anything
    /// else is a user part (`alice`, `+442071234567`). For `switchboard route --from`.
    public init(parsing text: String) {
        var address = Substring(text)
        if address.hasPrefix("["), address.hasSuffix("]") { address = address.dropFirst().dropLast() }
        var buffer = [UInt8](repeating: 0, count: 16)
        let isAddress = String(address).withCString { inet_pton(AF_INET, $0, &buffer) == 1 || inet_pton(AF_INET6, $0, &buffer) == 1 }
        self = isAddress ? CallSource(address: String(address)) : CallSource(user: text)
    }
}
