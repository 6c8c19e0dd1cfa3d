import Collector
import Synchronization

/// A `WebSocketTransport` that counts, as the client sees them, the connections open at once:
/// one opens when `connect` returns and ends when its `messages` finish (the library's
/// connection task has returned, its socket closed) or `close()` has returned.
///
/// The overlap a provider's connection limit cares about is the client's: a loopback server's
/// own count lags (it learns of a close from its event loop after the client has moved on), so
/// it cannot tell whether the client opened a connection before closing the last.
final class CountingWebSocketTransport: WebSocketTransport {
    private let inner: any WebSocketTransport
    private let counts = Mutex<(open: Int, maximumOpen: Int)>((0, 0))

    init(_ inner: any WebSocketTransport) {
        self.inner = inner
    }

    /// The most connections open at the same time so far.
    var maximumOpen: Int { counts.withLock { $0.maximumOpen } }

    func connect(url: String, headers: [HTTPHeader]) async throws -> any WebSocketConnection {
        let connection = try await inner.connect(url: url, headers: headers)
        counts.withLock { counts in
            counts.open += 1
            counts.maximumOpen = max(counts.maximumOpen, counts.open)
        }
        return CountedConnection(connection) { [self] in counts.withLock { $0.open -= 1 } }
    }
}

/// A connection that reports its end once, whichever way it ends.
private final class CountedConnection: WebSocketConnection {
    let messages: AsyncThrowingStream<String, any Error>
    private let inner: any WebSocketConnection
    private let ended: Ended

    init(_ inner: any WebSocketConnection, onEnd: @escaping @Sendable () -> Void) {
        self.inner = inner
        let ended = Ended(onEnd)
        self.ended = ended
        let (messages, sink) = AsyncThrowingStream<String, any Error>.makeStream()
        self.messages = messages
        let source = inner.messages
        Task {
            do {
                for try await text in source { sink.yield(text) }
                ended.fire()
                sink.finish()
            } catch {
                ended.fire()
                sink.finish(throwing: error)
            }
        }
    }

    func send(_ text: String) async throws {
        try await inner.send(text)
    }

    func close() async {
        await inner.close()
        ended.fire()
    }

    private final class Ended: Sendable {
        private let action: Mutex<(@Sendable () -> Void)?>
        init(_ action: @escaping @Sendable () -> Void) { self.action = Mutex(action) }
        func fire() { action.withLock { action in defer { action = nil }; return action }?() }
    }
}
