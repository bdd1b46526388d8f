import Dispatch

/// The Dispatch sources of one socket: one read source, at most one write
/// source, and the descriptor closed in the cancel handler of the last source
/// to go, never before (DESIGN.md "Concurrency"). Sources are resumed once
/// when made and never suspended, so every resume is balanced by the cancel.
///
/// Confined to the owner's serial queue: every method must be called there.
final class SocketSources {
    let fd: Int32
    private let queue: DispatchQueue
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var live = 0
    private var closing = false
    private var onClosed: (() -> Void)?
    /// True once the descriptor is closed.
    private(set) var isClosed = false

    init(fd: Int32, queue: DispatchQueue) {
        self.fd = fd
        self.queue = queue
    }

    /// True while a write source waits for the socket to become writable.
    var isWaitingWritable: Bool { writeSource != nil }

    /// Starts the read source; `handler` runs on the queue each time the socket is readable.
    func startReading(_ handler: @escaping () -> Void) {
        guard readSource == nil, !closing else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler(handler: handler)
        source.setCancelHandler { [self] in cancelled() }
        live += 1
        readSource = source
        source.resume()
    }

    /// Starts the write source unless one exists; `handler` runs each time the socket is writable.
    func startWriting(_ handler: @escaping () -> Void) {
        guard writeSource == nil, !closing else { return }
        let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler(handler: handler)
        source.setCancelHandler { [self] in cancelled() }
        live += 1
        writeSource = source
        source.resume()
    }

    /// Cancels the write source (libdispatch: a write source on a writable socket fires without end).
    func stopWriting() {
        guard let source = writeSource else { return }
        writeSource = nil
        source.cancel()
    }

    /// Cancels every source; the descriptor closes in the last cancel handler
    /// (at once when no source is live), then `done` runs on the queue. Once only.
    func close(then done: @escaping () -> Void) {
        guard !closing else { return }
        closing = true
        onClosed = done
        if live == 0 { return closeDescriptor() }
        readSource?.cancel()
        writeSource?.cancel()
    }

    private func cancelled() {
        live -= 1
        guard closing, live == 0 else { return }
        closeDescriptor()
    }

    private func closeDescriptor() {
        readSource = nil
        writeSource = nil
        Syscall.close(fd)
        isClosed = true
        let done = onClosed
        onClosed = nil
        done?()
    }
}
