import Hummingbird
import Logging
import NIOCore

/// Runs a loopback Hummingbird application on a free port (127.0.0.1, port 0) and returns
/// once it listens: the shared start of `LoopbackHTTPServer` and `LoopbackWebSocketServer`.
enum LoopbackListener {
    /// `makeApp` builds the application from the address, a quiet logger and the
    /// `onServerRunning` hook that reports the port.
    static func start<App: ApplicationProtocol>(
        label: String,
        _ makeApp: (
            _ configuration: ApplicationConfiguration, _ logger: Logger,
            _ onServerRunning: @escaping @Sendable (any Channel) async -> Void
        ) -> App
    ) async throws -> (port: Int, task: Task<Void, any Error>) {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let app = makeApp(.init(address: .hostname("127.0.0.1", port: 0)), logger) { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await value in ports { port = value }
        guard port > 0 else {
            task.cancel()
            throw LoopbackHTTPServer.LoopbackError.didNotStart
        }
        return (port, task)
    }
}
