import CollectorTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// A WebSocket server on 127.0.0.1 (a free port) for stream tests. Each connection
/// runs `script` with a `LoopbackWebSocketPeer`: the script reads what the client
/// sent, pushes frames, stays silent, or returns (which closes the connection).
/// The server counts connections (how many were open at once is the client's to count: the
/// server learns of a close later than the client, see `CountingWebSocketTransport` in the tests).
///
///     let server = try await LoopbackWebSocketServer.start { peer in
///         try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
///         _ = await peer.receive()           // the auth frame
///         await peer.waitUntilClientCloses()  // silent from here on
///     }
package final class LoopbackWebSocketServer: Sendable {
    package typealias Script = @Sendable (LoopbackWebSocketPeer) async throws -> Void

    /// `ws://127.0.0.1:<port>`, no trailing slash.
    package let baseURL: String
    private let log: ConnectionLog
    private let run: LoopbackServerRun

    private init(baseURL: String, log: ConnectionLog, run: LoopbackServerRun) {
        self.baseURL = baseURL
        self.log = log
        self.run = run
    }

    /// Starts a server and returns once it accepts connections.
    package static func start(_ script: @escaping Script) async throws -> LoopbackWebSocketServer {
        let log = ConnectionLog()
        let (port, run) = try await LoopbackListener.start(label: "loopback-ws") { configuration, logger, onServerRunning in
            Application(
                router: Router(),
                // Frames up to 4 MB, as the client takes (a subscription to 1,000 symbols is 20 KB).
                server: .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 22))) { request, _, _ in
                    let headers = request.headerFields.map { ($0.name.rawName, $0.value) }
                    let path = request.path ?? "/"
                    return .upgrade([:]) { inbound, outbound, _ in
                        let peer = LoopbackWebSocketPeer(
                            index: log.nextIndex(), path: path, headers: headers, outbound: outbound, log: log)
                        log.opened(peer)
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                defer { peer.clientClosed() }
                                for try await message in inbound.messages(maxSize: .max) {
                                    if case .text(let text) = message { peer.deliver(text) }
                                }
                            }
                            do { try await script(peer) } catch {}
                            try? await outbound.close(.normalClosure, reason: nil)
                            try await group.waitForAll()
                        }
                    }
                },
                configuration: configuration, onServerRunning: onServerRunning, logger: logger)
        }
        return LoopbackWebSocketServer(baseURL: "ws://127.0.0.1:\(port)", log: log, run: run)
    }

    /// Connections accepted so far.
    package var connectionCount: Int { log.state.withLock { $0.peers.count } }
    /// Connections open now.
    package var openConnections: Int { log.state.withLock { $0.open } }
    /// Every connection so far, oldest first.
    package var peers: [LoopbackWebSocketPeer] { log.state.withLock { $0.peers } }
    /// The frames each connection's client sent, by connection.
    package var received: [[String]] { peers.map(\.received) }

    /// Waits until `count` connections were accepted.
    package func waitForConnections(_ count: Int) async {
        await ManualClock.wait { self.connectionCount >= count }
    }

    /// Ends every script's wait (as if each client had closed) and shuts the server down.
    package func stop() async {
        for peer in peers { peer.clientClosed() }
        await run.stop()
    }
}

/// One client connection as the server's script sees it.
package final class LoopbackWebSocketPeer: Sendable {
    /// 1 for the first connection.
    package let index: Int
    /// The upgrade request's path and query.
    package let path: String
    package let headers: [(String, String)]
    private let outbound: WebSocketOutboundWriter
    private let log: ConnectionLog
    /// Frames received, how many the script has read, whether the client closed, and who waits.
    private typealias Inbox = (frames: [String], read: Int, closed: Bool, waiters: [CheckedContinuation<Void, Never>])
    private let inbox = Mutex<Inbox>(([], 0, false, []))

    init(index: Int, path: String, headers: [(String, String)], outbound: WebSocketOutboundWriter, log: ConnectionLog) {
        self.index = index
        self.path = path
        self.headers = headers
        self.outbound = outbound
        self.log = log
    }

    /// Every frame the client sent on this connection.
    package var received: [String] { inbox.withLock { $0.frames } }
    /// Whether the client has closed (or the connection ended).
    package var isClosed: Bool { inbox.withLock { $0.closed } }

    /// Sends a text frame to the client.
    package func send(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// The next frame the client sent that this script has not read; nil once the client closed.
    package func receive() async -> String? {
        while true {
            let next: String?? = inbox.withLock { box in
                if box.read < box.frames.count {
                    defer { box.read += 1 }
                    return .some(box.frames[box.read])
                }
                return box.closed ? .some(nil) : nil
            }
            if let next { return next }
            await waitForChange { $0.read < $0.frames.count || $0.closed }
        }
    }

    /// Stays silent until the client closes the connection (frames it sends meanwhile are
    /// kept in `received`, unread).
    package func waitUntilClientCloses() async {
        while !isClosed { await waitForChange { $0.closed } }
    }

    func deliver(_ text: String) {
        let waiters = inbox.withLock { box in
            box.frames.append(text)
            defer { box.waiters = [] }
            return box.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func clientClosed() {
        let waiters = inbox.withLock { box in
            // Counted under the inbox's lock, so whoever sees `isClosed` sees the count lowered.
            if !box.closed { log.closed() }
            box.closed = true
            defer { box.waiters = [] }
            return box.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until a frame arrives or the client closes, unless `ready` already holds (each
    /// caller waits for its own condition, so unread frames never make a close-waiter spin).
    private func waitForChange(_ ready: (Inbox) -> Bool) async {
        await withCheckedContinuation { continuation in
            let now = inbox.withLock { box in
                if ready(box) { return true }
                box.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// The server's connection counters (shared with the handlers).
final class ConnectionLog: Sendable {
    let state = Mutex<(peers: [LoopbackWebSocketPeer], open: Int)>(([], 0))
    private let indices = Mutex(0)

    func nextIndex() -> Int {
        indices.withLock { index in
            index += 1
            return index
        }
    }

    func opened(_ peer: LoopbackWebSocketPeer) {
        state.withLock { state in
            state.peers.append(peer)
            state.open += 1
        }
    }
    func closed() { state.withLock { $0.open -= 1 } }
}
