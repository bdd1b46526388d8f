import Foundation
import Registrar

/// The node's secret: 32 random bytes in `DATA_DIR/secret` (mode 0600),
/// created on first start. Nonces and temporary GRUUs are HMACs under keys
/// derived from it, so they stay valid across restarts.
enum ServerSecret {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func load(directory: String) throws(Failure) -> [UInt8] {
        let path = (directory as NSString).appendingPathComponent("secret")
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count >= 32 else { throw Failure(description: "\(path) holds \(data.count) bytes, expected 32") }
            return [UInt8](data)
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        guard FileManager.default.createFile(atPath: path, contents: Data(secret), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "cannot create \(path)")
        }
        return secret
    }

    /// A key for one use, so the same bytes never serve two purposes.
    static func derive(_ secret: [UInt8], purpose: String) -> [UInt8] {
        HMACSHA256.authenticationCode(key: secret, message: Array("switchboard \(purpose)".utf8))
    }
}
