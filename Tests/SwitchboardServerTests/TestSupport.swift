import Foundation
@testable import SwitchboardServer

/// Decodes `text` as file `conf/x.toml` and returns the printed errors (empty when valid).
func errorLines(_ text: String, listenOverrides: [String] = []) -> [String] {
    do {
        _ = try ConfigurationLoader(listenOverrides: listenOverrides).decode(text, file: "conf/x.toml")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh directory under the system temporary directory, unique per call.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("switchboard-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
