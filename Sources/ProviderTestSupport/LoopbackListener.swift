import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

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
    ) async throws -> (port: Int, run: LoopbackServerRun) {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let app = makeApp(.init(address: .hostname("127.0.0.1", port: 0)), logger) { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let run = LoopbackServerRun(group: group, task: Task { try await group.run() })
        var port = 0
        for await value in ports { port = value }
        guard port > 0 else {
            await run.stop()
            throw LoopbackHTTPServer.LoopbackError.didNotStart
        }
        return (port, run)
    }
}

/// A running loopback server's service group.
///
/// It stops by graceful shutdown, never by cancelling the serving task: cancelled, the server drops
/// connections it accepted but had not started serving, and NIO traps on their unfinished writers
/// ("Deinited NIOAsyncWriter without calling finish()", swift-nio#2813), which killed a whole test
/// run now and then. Shut down gracefully, the server serves out every accepted connection first.
struct LoopbackServerRun: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Shuts the server down and waits for it; cancels it only if it has not stopped within
    /// `patience` (a connection that never ends), so a stuck client cannot hang a test.
    func stop(patience: Duration = .seconds(5)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: patience)
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
    }
}
