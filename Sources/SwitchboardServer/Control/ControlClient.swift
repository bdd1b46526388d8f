#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SIPTransport

/// The `switchboard ctl` side of the control socket: connects, sends one
/// request line, reads the reply until the server closes the connection.
public enum ControlClient {
    /// Sends `command` to the server at `socketPath`, waiting at most `timeoutSeconds` per read or write.
    public static func send(_ command: String, to socketPath: String, timeoutSeconds: Int = 30) throws(ControlClientError) -> ControlReply {
        let fd: Int32
        do throws(IOError) {
            fd = try ControlSyscall.socket(blocking: true)
        } catch {
            throw .failed(path: socketPath, reason: error.description)
        }
        defer { ControlSyscall.close(fd) }
        do throws(IOError) {
            try ControlSyscall.connect(fd, path: socketPath)
        } catch {
            switch error.errno {
            case ENOENT, ECONNREFUSED, ENOTSOCK:
                throw .notRunning(path: socketPath, reason: error.reason)
            default:
                throw .failed(path: socketPath, reason: error.description)
            }
        }
        var reply: [UInt8] = []
        var timedOut = false
        do throws(IOError) {
            try ControlSyscall.setTimeouts(fd, seconds: timeoutSeconds)
            if try ControlSyscall.writeAll(fd, Array((command + "\n").utf8)) {
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = try ControlSyscall.read(fd, into: &chunk)
                    guard let count else {
                        timedOut = true
                        break
                    }
                    if count == 0 { break }
                    reply += chunk[0..<count]
                }
            } else {
                timedOut = true
            }
        } catch {
            throw .failed(path: socketPath, reason: error.description)
        }
        if timedOut { throw .timedOut(path: socketPath) }
        return ControlReply(text: String(decoding: reply, as: UTF8.self))
    }
}

/// What the server answered: lines of text; the first starts with `error` when the request failed.
public struct ControlReply: Sendable, Hashable {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public var lines: [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    public var isError: Bool { text.hasPrefix("error") }
}

/// Why `ctl` got no answer.
public enum ControlClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing listens on the socket: the server is not running (or uses another socket).
    case notRunning(path: String, reason: String)
    /// The server accepted but did not answer in time.
    case timedOut(path: String)
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notRunning(let path, let reason):
            "switchboard is not running: no server on control socket \(path) (\(reason))"
        case .timedOut(let path):
            "no reply from the server on control socket \(path) in time"
        case .failed(let path, let reason):
            "control socket \(path): \(reason)"
        }
    }
}
