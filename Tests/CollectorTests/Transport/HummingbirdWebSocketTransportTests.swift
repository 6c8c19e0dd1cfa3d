import CollectorTestSupport
import ProviderTestSupport
import Testing

@testable import Collector

@Suite("WebSocket transport")
struct HummingbirdWebSocketTransportTests {
    /// `close()` completes the closing handshake: it returns once the server has answered with its
    /// own close frame, so a provider that allows one connection has seen this one end before the
    /// client dials again (it used to drop the socket at once, the server's answer unread).
    @Test func closeWaitsForTheServersCloseFrame() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            _ = await peer.receive()
            await peer.waitUntilClientCloses()
        }
        let transport = HummingbirdWebSocketTransport(logger: .quiet())
        for _ in 0..<5 {
            let connection = try await transport.connect(url: server.baseURL + "/stream", headers: [])
            try await connection.send("hello")
            await connection.close()
            let closed = try #require(connection as? HummingbirdWebSocketConnection)
            #expect(closed.readTheServersClose)
        }
        await server.stop()
    }
}
