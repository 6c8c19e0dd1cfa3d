import Logging
import ServiceLifecycle

/// Keeps one source's WebSocket stream running (`StreamProvider` says how to talk to it).
///
/// - At most one connection: a connection is closed (and its close awaited) before the next opens.
/// - Reconnects after a failure with exponential backoff and jitter; the backoff resets only
///   after a connection stayed up for `stableAfter`. Provider errors say what to do instead:
///   keep the connection, pause (another session holds it), or stop (the key was refused).
/// - After every (re)connect it subscribes the CURRENT watched symbols; watchlist edits send
///   subscribe/unsubscribe on the open connection, never a reconnect.
/// - A watchdog: no market data for `staleAfter` while a subscribed symbol's market is open
///   reports the stream stale and reconnects. Control frames do not count as data.
/// - Values pass through a `StreamBuffer` (latest quote per symbol wins; trades and bars kept).
/// - Health: `streaming` with the URL and the reconnect count and reason, `.delivered` per
///   batch (messages per second), and each failure with its state. `status` tells the
///   source's poller which symbols the stream covers (it polls the rest).
public struct LiveStreamService: Service {
    let provider: any StreamProvider
    let transport: any WebSocketTransport
    let watched: WatchedSymbols
    let pipeline: IngestPipeline
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let settings: LiveStreamSettings
    let status: StreamStatus
    let logger: Logger

    public init(
        provider: any StreamProvider, transport: any WebSocketTransport, watched: WatchedSymbols,
        pipeline: IngestPipeline, clock: any Clock<Duration>, timeSource: any TimeSource,
        settings: LiveStreamSettings = .init(), status: StreamStatus = StreamStatus(), logger: Logger
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

    public func run() async { await run(on: clock) }

    private func run<C: Clock<Duration>>(on clock: C) async {
        var failures = 0
        var reconnects = 0
        var lastReason: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let session = LiveStreamSession(service: self, reconnects: reconnects, lastReason: lastReason)
            let outcome = await session.run()
            status.set(false)
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            let now = timeSource.now()
            let failedAt = clock.now
            if let liveSince = outcome.liveSince, now - liveSince >= settings.stableAfter { failures = 0 }
            failures += 1
            reconnects += 1
            let failure = outcome.failure
            lastReason = failure.message
            let wait: Duration
            let text: String
            switch failure.action {
            case .stop:
                report(failure, text: failure.message, at: now)
                await Self.waitForShutdown()  // no reconnect loop: wait for the collector to stop
                return
            case .pause(let pause):
                wait = pause
                text = "\(failure.message); next attempt at \((now + pause).clockText)"
            case .reconnect, .keepConnection:
                wait = settings.jitter(settings.backoff.delay(forAttempt: failures))
                text = "\(failure.message); reconnect \(reconnects) in \(wait.ageText)"
            }
            pipeline.submit(IngestBatch(health: [.streamed(id, reconnects: 1, coalesced: 0, dropped: 0)]))
            // With a stand-in poller, its state is the source's (a drop shows as degraded until it
            // delivers); but a pause, and a stale stream (connected, yet silent while the market
            // is open), are the stream's to show.
            var shown = !settings.pollingFallback || failure.state == .degraded
            if case .pause = failure.action { shown = true }
            if shown {
                report(failure, text: text, at: now)
            } else {
                // The poller's next delivery will speak for the source; until then it must not
                // read `streaming` with its connection gone.
                let message = provider.redactor.scrub("stream down: \(text); polling meanwhile")
                logger.warning("stream down, polling meanwhile", metadata: ["source": "\(id)", "error": "\(message)"])
                pipeline.submit(IngestBatch(health: [.failed(id, state: .degraded, message: message, at: now)]))
            }
            // The wait ends at a fixed instant measured from the failure, so however late this
            // task starts sleeping, it reconnects `wait` after the failure, never later.
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: failedAt.advanced(by: wait), purpose: "backoff \(id)") }
            } catch { break }
        }
        status.set(false)
        logger.debug("live stream stopped", metadata: ["source": "\(id)"])
    }

    /// Returns on cancellation or graceful shutdown, never before.
    static func waitForShutdown() async {
        let (never, keep) = AsyncStream<Void>.makeStream()
        for await _ in never.cancelOnGracefulShutdown() {}
        keep.finish()
    }

    private func report(_ failure: StreamFailure, text: String, at now: Timestamp) {
        let message = provider.redactor.scrub(text)
        logger.warning("stream failed", metadata: ["source": "\(id)", "error": "\(message)"])
        pipeline.submit(IngestBatch(health: [.failed(id, state: failure.state, message: message, at: now)]))
    }

    /// Hands waiting values to the pipeline as one batch, waiting while the pipeline is full
    /// (meanwhile the buffer coalesces quotes); `note` (the URL and reconnect count) stays in
    /// the health detail. The coalesced and dropped counts go with it (reconnects are
    /// counted when they are scheduled).
    func deliver(_ buffer: StreamBuffer, note: String) async {
        let drained = buffer.drain()
        let now = timeSource.now()
        var health: [HealthEvent] = [.streamed(id, reconnects: 0, coalesced: drained.coalesced, dropped: drained.dropped)]
        if !drained.events.isEmpty {
            let delay = FeedDelay(drained.events)
            health += [
                .delivered(id, state: .streaming, count: drained.events.count, latencyMilliseconds: delay.milliseconds, at: now),
                .changed(id, state: .streaming, detail: delay.skewNote.map { "\(note); \($0)" } ?? note),
            ]
        }
        await pipeline.send(IngestBatch(origin: .live, events: drained.events, health: health))
    }
}
