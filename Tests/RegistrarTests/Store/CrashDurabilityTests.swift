import Foundation
import SIPCore
import Testing
@testable import Registrar

#if canImport(Glibc)
import Glibc
#endif

private typealias R = RegisterRequests

/// Re-runs this test binary as a child that registers through a
/// `BatchedWriter`, prints a marker from the completion, and waits to be
/// killed; the parent SIGKILLs it on the marker and reopens the store.
@Suite("Crash durability") struct CrashDurabilityTests {
    static let directoryVariable = "SWITCHBOARD_REGISTRAR_CRASH_CHILD_DIR"
    static let marker = "REGISTRAR-BINDING-DURABLE"

    static func registration() throws -> RegistrationResult {
        try R.process(R.make(to: "<sip:crash@example.com>", contacts: ["<sip:crash@10.0.0.9;transport=tcp>"]))
    }

    @Test("RFC 3261 10.3 step 8: a binding whose completion fired survives SIGKILL of the process right after")
    func survivesSIGKILL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "childRegistersThenWaits"]
        var env = ProcessInfo.processInfo.environment
        env[Self.directoryVariable] = dir.path
        child.environment = env
        let out = Pipe()
        child.standardOutput = out
        child.standardError = FileHandle.nullDevice
        try child.run()
        var seen = ""
        // Bounded: the child prints a few KB at most, then EOF if it dies.
        for _ in 0..<10_000 where !seen.contains(Self.marker) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(seen.contains(Self.marker))
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        let store = try SQLiteRegistrarStore(directory: dir.path)
        #expect(try store.loadBindings(now: R.now) == Self.registration().bindings)
    }

    /// The child half; runs only when the parent test starts it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[directoryVariable] != nil))
    func childRegistersThenWaits() throws {
        let dir = try #require(ProcessInfo.processInfo.environment[Self.directoryVariable])
        let store = try SQLiteRegistrarStore(directory: dir)
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .milliseconds(1), maxBatch: 64))
        writer.submit(try Self.registration().changes) { outcome in
            if case .success = outcome {
                FileHandle.standardOutput.write(Data("\(Self.marker)\n".utf8))
            }
        }
        // Wait to be killed; give up after 30 s so an orphan cannot linger.
        sleep(30)
    }
}
