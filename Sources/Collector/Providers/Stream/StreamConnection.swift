/// Opens the connections of a stream: a WebSocket for a network provider
/// (`WebSocketStreamTransport`), the source itself for an in-process one
/// (`InProcessStreamTransport`). `LiveStreamSession` talks to these only.
package protocol StreamTransport: Sendable {
    /// Opens one connection of `provider`'s stream; throws when it could not be opened.
    func connect(_ provider: any StreamProvider) async throws -> any StreamConnection
}

/// One open connection of a stream.
package protocol StreamConnection: Sendable {
    /// Hands what arrives to `receive`, in order, until the connection ends: returns when the
    /// other side closed it, throws when it failed (a `StreamFailure` when the source judged why).
    func receive(_ receive: @escaping @Sendable (StreamInbound) -> Void) async throws
    /// Sends one frame (`StreamProvider.subscribeFrames`, the authentication frame, ...).
    func send(_ frame: String) async throws
    /// Closes the connection (a normal closure) and waits until it is closed.
    func close() async
}

/// What arrives on a stream connection: a text frame for the provider's decoder, or messages
/// decoded already (an in-process source's values).
package enum StreamInbound: Sendable {
    case frame(String)
    /// An in-process source's values, as it made them (no frame to decode).
    case values([MarketEvent])
}

/// A network provider's stream over a `WebSocketTransport`.
package struct WebSocketStreamTransport: StreamTransport {
    let transport: any WebSocketTransport

    package init(_ transport: any WebSocketTransport) { self.transport = transport }

    package func connect(_ provider: any StreamProvider) async throws -> any StreamConnection {
        Connection(socket: try await transport.connect(url: provider.url, headers: provider.headers))
    }

    /// A WebSocket's text frames.
    struct Connection: StreamConnection {
        let socket: any WebSocketConnection

        func receive(_ receive: @escaping @Sendable (StreamInbound) -> Void) async throws {
            for try await text in socket.messages { receive(.frame(text)) }
        }

        func send(_ frame: String) async throws { try await socket.send(frame) }

        func close() async { await socket.close() }
    }
}
