/// Opens WebSocket connections. The stream services talk to this protocol only, so
/// tests and services never depend on the WebSocket library.
public protocol WebSocketTransport: Sendable {
    /// Connects to `url` (ws or wss) with `headers` on the upgrade request; returns once
    /// the upgrade succeeded, throws when it did not. Errors never carry header values.
    func connect(url: String, headers: [HTTPHeader]) async throws -> any WebSocketConnection
}

/// One open WebSocket connection.
public protocol WebSocketConnection: Sendable {
    /// The text frames the server sends, in order; finishes when the connection closes
    /// (throwing when it failed). Binary frames are read as UTF-8 text.
    var messages: AsyncThrowingStream<String, any Error> { get }
    /// Sends one text frame.
    func send(_ text: String) async throws
    /// Closes the connection (normal closure) and waits until it is closed.
    func close() async
}

/// Why a WebSocket connection could not be opened or used.
package struct WebSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
