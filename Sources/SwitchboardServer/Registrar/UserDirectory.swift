import Foundation
import Registrar

/// The users who may register and call, in the registrar's database of a
/// configuration's data directory: what `switchboard user` edits. Only HA1
/// hashes are stored (RFC 7616 section 3.4.2), one per algorithm, so the
/// password is never written anywhere.
public struct UserDirectory {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A user as listed: name, realm, algorithms it can answer, note.
    public struct Entry: Sendable {
        public var username: String
        public var realm: String
        public var algorithms: [String]
        public var note: String
    }

    let store: SQLiteRegistrarStore
    /// The realm users are added to (`[auth] realm`).
    public let realm: String

    /// Opens (creating if needed) the database in `[server] data_dir`.
    public init(configuration: Configuration) throws(Failure) {
        realm = configuration.auth.effectiveRealm(configuration)
        let directory = configuration.server.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try SQLiteRegistrarStore(directory: directory)
        } catch let error as RegistrarStoreError {
            throw Failure(description: "cannot open the user database in \(directory): \(error)")
        } catch {
            throw Failure(description: "cannot create \(directory): \(error.localizedDescription)")
        }
    }

    /// Adds the user or replaces its password. Names are a SIP user part: no
    /// spaces, quotes, '@' or ':'.
    public func add(username: String, password: String, note: String = "") throws(Failure) {
        guard Self.isValidName(username) else {
            throw Failure(description: "invalid user name \"\(username)\" (letters, digits and - _ . ! ~ * ' ( ) + only)")
        }
        guard !password.isEmpty else { throw Failure(description: "the password is empty") }
        var record = UserRecord(username: username, realm: realm, password: password)
        record.note = note
        do {
            try store.putUser(record)
        } catch {
            throw Failure(description: "cannot store user \(username): \(error)")
        }
    }

    /// Removes the user; false when there was none.
    public func remove(username: String) throws(Failure) -> Bool {
        do {
            return try store.removeUser(username: username, realm: realm)
        } catch {
            throw Failure(description: "cannot remove user \(username): \(error)")
        }
    }

    /// Every user of every realm, by realm then name.
    public func list() throws(Failure) -> [Entry] {
        do {
            return try store.users()
                .sorted { ($0.realm, $0.username) < ($1.realm, $1.username) }
                .map { u in
                    Entry(
                        username: u.username, realm: u.realm,
                        algorithms: DigestAlgorithm.allCases.filter { u.ha1[$0] != nil }.map(\.rawValue), note: u.note)
                }
        } catch {
            throw Failure(description: "cannot read users: \(error)")
        }
    }

    /// RFC 3261 25.1 `user` characters without escapes: unreserved and user-unreserved.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.unicodeScalars.allSatisfy { c in
                (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) || "-_.!~*'()+&=$,;?/".unicodeScalars.contains(c)
            }
    }
}
