import Foundation

/// Certificates made at test time by `scripts/make-test-certs.sh` into a
/// temporary directory, once per test process (no keys are committed).
struct TLSTestCertificates: Sendable {
    let directory: String

    func path(_ name: String) -> String { directory + "/" + name }

    /// The generated set, or why generation failed.
    static let shared: Result<TLSTestCertificates, TestSetupError> = generate()

    static func get() throws -> TLSTestCertificates { try shared.get() }

    private static func generate() -> Result<TLSTestCertificates, TestSetupError> {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/make-test-certs.sh").path
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            let result = try OpenSSLTool.run(executable: "/bin/sh", arguments: [script, directory])
            guard result.status == 0 else {
                return .failure(TestSetupError("make-test-certs.sh exited \(result.status): \(result.standardError)"))
            }
        } catch {
            return .failure(TestSetupError("cannot run make-test-certs.sh: \(error)"))
        }
        atexit { TLSTestCertificates.removeGenerated() }
        return .success(TLSTestCertificates(directory: directory))
    }

    /// Deletes the generated keys and the copies made under them when the test process exits.
    private static func removeGenerated() {
        if case .success(let certificates) = shared {
            try? FileManager.default.removeItem(atPath: certificates.directory)
        }
    }

    /// A copy of some files in a fresh directory, so a test can overwrite them (reload).
    func copy(_ names: [String]) throws -> String {
        let directory = path("copy-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(atPath: path(name), toPath: directory + "/" + name)
        }
        return directory
    }
}

struct TestSetupError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}
