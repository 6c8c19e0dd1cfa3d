import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// `WebSocketTransport` over hummingbird-websocket's client (TLS for `wss`).
package struct HummingbirdWebSocketTransport: WebSocketTransport {
    /// Largest frame accepted; Alpaca batches can be large.
    package var maxFrameSize: Int
    let logger: Logger

    /// The library logs frame bytes at trace level: it gets `logger` at info level at most,
    /// so no frame (the auth frame carries the key) can reach a log.
    package init(maxFrameSize: Int = 1 << 22, logger: Logger) {
        self.maxFrameSize = maxFrameSize
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .info)
        self.logger = quiet
    }

    package func connect(url: String, headers: [HTTPHeader]) async throws -> any WebSocketConnection {
        var fields = HTTPFields()
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        let configuration = WebSocketClientConfiguration(maxFrameSize: maxFrameSize, additionalHeaders: fields)
        let (messages, sink) = AsyncThrowingStream<String, any Error>.makeStream()
        let (opened, openedSink) = AsyncThrowingStream<WebSocketOutboundWriter, any Error>.makeStream()
        let maxSize = maxFrameSize
        let logger = logger
        let serverClose = ServerClose()
        let task = Task {
            do {
                let frame = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
                    inbound, outbound, _ in
                    openedSink.yield(outbound)
                    openedSink.finish()
                    for try await message in inbound.messages(maxSize: maxSize) {
                        switch message {
                        case .text(let text): sink.yield(text)
                        case .binary(let buffer): sink.yield(String(buffer: buffer))
                        }
                    }
                }
                serverClose.code.withLock { $0 = frame?.closeCode }
                openedSink.finish(throwing: WebSocketError("the server refused the WebSocket upgrade"))
                sink.finish()
            } catch {
                // The library's errors name the host at most, never our headers.
                openedSink.finish(throwing: WebSocketError("connection failed: \(error)"))
                sink.finish(throwing: WebSocketError("connection lost: \(error)"))
            }
        }
        var iterator = opened.makeAsyncIterator()
        do {
            guard let writer = try await iterator.next() else { throw WebSocketError("the connection closed at once") }
            return HummingbirdWebSocketConnection(messages: messages, writer: writer, task: task, serverClose: serverClose)
        } catch {
            task.cancel()
            throw error
        }
    }
}

/// A connection opened by `HummingbirdWebSocketTransport`.
final class HummingbirdWebSocketConnection: WebSocketConnection {
    /// How long `close()` waits for the server's answering close frame before it drops the socket.
    static let closeGrace: Duration = .seconds(1)

    let messages: AsyncThrowingStream<String, any Error>
    private let writer: WebSocketOutboundWriter
    private let task: Task<Void, Never>
    private let serverClose: ServerClose

    init(
        messages: AsyncThrowingStream<String, any Error>, writer: WebSocketOutboundWriter, task: Task<Void, Never>,
        serverClose: ServerClose
    ) {
        self.messages = messages
        self.writer = writer
        self.task = task
        self.serverClose = serverClose
    }

    /// Whether the server's close frame was read (the closing handshake completed).
    var readTheServersClose: Bool { serverClose.code.withLock { $0 != nil } }

    func send(_ text: String) async throws {
        try await writer.write(.text(text))
    }

    /// Sends a close frame and waits for the server's (the closing handshake), `closeGrace` at
    /// most: a provider that counts connections (Alpaca allows one per account) has then seen this
    /// one end before any reconnect. A server that does not answer is dropped after the grace.
    func close() async {
        try? await writer.close(.normalClosure, reason: nil)
        let task = self.task
        let giveUp = Task {
            do { try await Task.sleep(for: Self.closeGrace) } catch { return }
            task.cancel()
        }
        await task.value
        giveUp.cancel()
    }
}

/// The server's close code, set by the connection's task when it ends.
final class ServerClose: Sendable {
    let code = Mutex<WebSocketErrorCode?>(nil)
}
