import Foundation

/// Certificates made by `scripts/make-test-certs.sh` into a temporary
/// directory, once per test process; removed when the process exits.
struct TestCertificates: Sendable {
    let directory: String

    func path(_ name: String) -> String { directory + "/" + name }

    static let shared: Result<TestCertificates, SetupError> = generate()

    static func get() throws -> TestCertificates { try shared.get() }

    struct SetupError: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    private static func generate() -> Result<TestCertificates, SetupError> {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-server-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/make-test-certs.sh").path, directory]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(SetupError(description: "cannot run make-test-certs.sh: \(error)"))
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(
                SetupError(
                    description: "make-test-certs.sh exited \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))"))
        }
        atexit {
            if case .success(let certificates) = TestCertificates.shared {
                try? FileManager.default.removeItem(atPath: certificates.directory)
            }
        }
        return .success(TestCertificates(directory: directory))
    }

    /// Copies of some files in a fresh directory, so a test can overwrite them (reload).
    func copy(_ names: [String]) throws -> String {
        let copy = path("copy-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(atPath: path(name), toPath: copy + "/" + name)
        }
        return copy
    }
}
