import Foundation

/// Runs the `openssl` command line (and the certificate script) for tests,
/// always bounded in time; a process still running at the deadline is
/// terminated by its PID.
final class OpenSSLTool: @unchecked Sendable {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()

    init(executable: String = "/usr/bin/openssl", arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// Writes to the process's standard input.
    func write(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Reads standard output until `marker` appears or the deadline passes.
    func readOutput(until marker: String, timeoutSeconds: Int = 10) -> String {
        var collected = Data()
        let fd = output.fileHandleForReading.fileDescriptor
        var remaining = timeoutSeconds * 10
        while remaining > 0 {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) >= 0 else { break }
            remaining -= 1
            if pfd.revents == 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            collected.append(contentsOf: buffer[0..<count])
            if String(decoding: collected, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Waits for exit up to the deadline, terminating the process if it is still running.
    func finish(timeoutSeconds: Int = 10) -> Result {
        closeInput()
        var remaining = timeoutSeconds * 20
        while process.isRunning, remaining > 0 {
            usleep(50_000)
            remaining -= 1
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let out = (try? output.fileHandleForReading.readToEnd()) ?? nil
        let err = (try? errors.fileHandleForReading.readToEnd()) ?? nil
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: out ?? Data(), as: UTF8.self),
            standardError: String(decoding: err ?? Data(), as: UTF8.self)
        )
    }

    /// Runs a command to completion (bounded) and returns its status and output.
    static func run(executable: String, arguments: [String], timeoutSeconds: Int = 30) throws -> Result {
        let tool = try OpenSSLTool(executable: executable, arguments: arguments)
        return tool.finish(timeoutSeconds: timeoutSeconds)
    }
}
