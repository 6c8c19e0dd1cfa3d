import Collector
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The HTTP endpoint of `ticktop collect`, served with Hummingbird: `GET /metrics` (the registry
/// in Prometheus text format) and `GET /healthz` (`CollectorHealth` as JSON, 200 or 503).
/// It runs in a service group of its own, so it binds before the collector starts (a busy
/// address ends the run before anything is collected) and answers until the drain has ended.
struct MetricsEndpoint: Sendable {
    /// The address it listens on (with the port taken, when 0 was asked for).
    let address: ListenAddress
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Could not listen: names the address and the cause.
    struct ListenError: Error, CustomStringConvertible {
        let address: ListenAddress
        let cause: String
        var description: String {
            "cannot serve /metrics and /healthz on \(address): \(cause)"
                + " (set [collect] listen or --listen to another address, or off)"
        }
    }

    /// Starts serving and returns once the address is bound; throws `ListenError` when it cannot be.
    static func start(
        on address: ListenAddress, registry: PrometheusCollectorRegistry,
        health: @escaping @Sendable () async -> CollectorHealth, logger: Logger
    ) async throws -> MetricsEndpoint {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("healthz") { _, _ -> Response in
            let verdict = await health()
            return Response(
                status: HTTPResponse.Status(code: verdict.httpStatus), headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: verdict.json)))
        }
        var quiet = logger
        quiet.logLevel = .warning  // Hummingbird's own start and request lines
        let (bound, boundSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname(address.host, port: address.port)),
            onServerRunning: { channel in
                boundSink.yield(channel.localAddress?.port ?? address.port)
                boundSink.finish()
            }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        let task = Task {
            defer { boundSink.finish() }
            try await group.run()
        }
        var port: Int?
        for await value in bound { port = value }
        guard let port else {
            // The server ended before it listened: its error says why.
            let cause: String
            do {
                try await task.value
                cause = "the server stopped before it listened"
            } catch {
                cause = Self.cause(of: error)
            }
            throw ListenError(address: address, cause: cause)
        }
        let served = ListenAddress(host: address.host, port: port)
        logger.info("serving /metrics and /healthz on http://\(served)")
        return MetricsEndpoint(address: served, group: group, task: task)
    }

    /// Stops serving (after the drain, so `/healthz` says `draining` until the end).
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// A bind error in words (`address already in use`), else the error's own description.
    private static func cause(of error: any Error) -> String {
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode)).lowercased()
        }
        return "\(error)"
    }
}
