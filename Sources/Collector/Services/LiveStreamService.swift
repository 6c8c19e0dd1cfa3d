import Logging
import ServiceLifecycle

/// Keeps one source's live stream running (`StreamProvider` says how to talk to it): a WebSocket
/// stream, or the stream an in-process source pushes (the simulated market, a replay: see
/// `init(inProcess:breaker:...)`), under the same machine. The
/// protocol and the decisions below are a `StreamProtocolMachine`'s; each connection's I/O is a
/// `LiveStreamSession`'s; this service only runs one connection after the other and waits between.
///
/// - At most one connection: a connection is closed (and its close awaited) before the next opens.
/// - Reconnects after a failure with exponential backoff and jitter; the backoff resets only
///   after a connection stayed up for `stableAfter`. Provider errors say what to do instead:
///   keep the connection, pause (another session holds it), or stop (the key was refused).
/// - After every (re)connect it subscribes the CURRENT watched symbols; watchlist edits send
///   subscribe/unsubscribe on the open connection, never a reconnect.
/// - A watchdog: no market data for `staleAfter` while a subscribed symbol's market is open
///   reports the stream stale and reconnects. Control frames do not count as data.
/// - Values pass through a `StreamBuffer` (latest quote per symbol wins; trades and bars kept) and
///   reach the pipeline one batch at a time (`IngestPipeline.sendAndWait`): while the state applies
///   one, the next gathers in the buffer, so a quote is never more than one batch behind.
/// - Health: `streaming` with the URL and the reconnect count and reason, `.delivered` per
///   batch (messages per second), and each failure with its state. `status` tells the
///   source's poller which symbols the stream covers (it polls the rest).
/// - A graceful shutdown ends it: what waits is delivered and the connection closed normally.
package struct LiveStreamService: Service {
    let provider: any StreamProvider
    let transport: any StreamTransport
    let watched: WatchedSymbols
    let pipeline: IngestPipeline
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let settings: LiveStreamSettings
    let status: StreamStatus
    let logger: Logger
    /// Where the stream's messages in and out are counted (`ticktop_stream_messages_*`).
    package var metrics: CollectorMetrics = .system

    package init(
        provider: any StreamProvider, transport: any WebSocketTransport, watched: WatchedSymbols,
        pipeline: IngestPipeline, clock: any Clock<Duration>, timeSource: any TimeSource,
        settings: LiveStreamSettings = .init(), status: StreamStatus = StreamStatus(), logger: Logger
    ) {
        self.init(
            provider: provider, streamTransport: WebSocketStreamTransport(transport), watched: watched, pipeline: pipeline,
            clock: clock, timeSource: timeSource, settings: settings, status: status, logger: logger)
    }

    /// The stream `source` pushes from within the process (`InProcessStreamProvider`), with a
    /// circuit breaker over its failures in a row (`breaker`).
    package init(
        inProcess source: any MarketDataSource, breaker: CircuitBreaker.Settings = .init(), watched: WatchedSymbols,
        pipeline: IngestPipeline, clock: any Clock<Duration>, timeSource: any TimeSource, settings: LiveStreamSettings,
        logger: Logger
    ) {
        self.init(
            provider: InProcessStreamProvider(source: source, breaker: breaker),
            streamTransport: InProcessStreamTransport(source: source),
            watched: watched, pipeline: pipeline, clock: clock, timeSource: timeSource, settings: settings,
            status: StreamStatus(), logger: logger)
    }

    init(
        provider: any StreamProvider, streamTransport transport: any StreamTransport, watched: WatchedSymbols,
        pipeline: IngestPipeline, clock: any Clock<Duration>, timeSource: any TimeSource, settings: LiveStreamSettings,
        status: StreamStatus, logger: Logger
    ) {
        self.provider = provider
        self.transport = transport
        self.watched = watched
        self.pipeline = pipeline
        self.clock = clock
        self.timeSource = timeSource
        self.settings = settings
        self.status = status
        self.logger = logger
    }

    var id: SourceID { provider.id }

    package func run() async { await run(on: clock) }

    /// Runs connection after connection; the machine decides what each connection's end means.
    private func run<C: Clock<Duration>>(on clock: C) async {
        var machine = StreamProtocolMachine(provider: provider, settings: settings)
        let session = LiveStreamSession(
            provider: provider, transport: transport, watched: watched, pipeline: pipeline, clock: clock,
            timeSource: timeSource, settings: settings, status: status, logger: logger,
            messages: metrics.streamMessages(source: id))
        connections: while !Task.isCancelled && !Task.isShuttingDownGracefully {
            switch await session.run(&machine) {
            case .cancelled:
                break connections
            case .stop:
                // No reconnect loop: wait for the collector to stop (tests wait for this line).
                logger.notice("live stream stopped until restart", metadata: ["source": "\(id)"])
                await GracefulStream<Void>.waitForShutdown()
                return
            case .dial(let instant):
                do {
                    try await cancelWhenGracefulShutdown { try await clock.sleep(until: instant, purpose: "backoff \(id)") }
                } catch { break connections }
            }
        }
        status.set(false)
        logger.debug("live stream stopped", metadata: ["source": "\(id)"])
    }
}
