import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An HTTP server on 127.0.0.1 (a free port) for provider tests. Every request
/// is recorded and answered by `handler`, which tests write in the provider's
/// documented format, errors included.
///
///     let server = try await LoopbackHTTPServer.start { request in
///         request.path == "/v2/stocks/bars" ? .json(barsPage) : .json("{}", status: 404)
///     }
///     defer { Task { await server.stop() } }   // or `await server.stop()` at the end
package final class LoopbackHTTPServer: Sendable {
    package typealias Handler = @Sendable (RecordedRequest) async -> StubResponse

    /// `http://127.0.0.1:<port>`, no trailing slash.
    package let baseURL: String
    private let log: RequestLog
    private let run: LoopbackServerRun
    private let hangs: HangGate

    private init(baseURL: String, log: RequestLog, run: LoopbackServerRun, hangs: HangGate) {
        self.baseURL = baseURL
        self.log = log
        self.run = run
        self.hangs = hangs
    }

    /// Starts a server and returns once it accepts connections.
    package static func start(_ handler: @escaping Handler) async throws -> LoopbackHTTPServer {
        let log = RequestLog()
        let hangs = HangGate()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let recorded = RecordedRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                headers: request.headers.map { ($0.name.rawName, $0.value) })
            log.append(recorded)
            let stub = await handler(recorded)
            if stub.hangs { await hangs.wait() }
            var headers = HTTPFields()
            for (name, value) in stub.headers {
                if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
            }
            return Response(
                status: HTTPResponse.Status(code: stub.status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: stub.body)))
        }
        let (port, run) = try await LoopbackListener.start(label: "loopback-http") { configuration, logger, onServerRunning in
            Application(responder: responder, configuration: configuration, onServerRunning: onServerRunning, logger: logger)
        }
        return LoopbackHTTPServer(baseURL: "http://127.0.0.1:\(port)", log: log, run: run, hangs: hangs)
    }

    /// Every request received so far, oldest first.
    package var requests: [RecordedRequest] { log.requests.withLock { $0 } }

    /// Releases hanging requests and shuts the server down.
    package func stop() async {
        hangs.release()
        await run.stop()
    }

    package enum LoopbackError: Error { case didNotStart }
}

/// The server's request log (shared with the responder).
private final class RequestLog: Sendable {
    let requests = Mutex<[RecordedRequest]>([])
    func append(_ request: RecordedRequest) { requests.withLock { $0.append(request) } }
}

/// Holds "hanging" responses until the server stops.
private final class HangGate: Sendable {
    private let state = Mutex<(released: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.released { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
