import Logging
import ServiceLifecycle

/// Keeps one source's live stream running: feeds its batches to the pipeline,
/// reports health, reconnects with backoff when the stream fails or ends, and
/// resubscribes when the watched symbols change.
public struct StreamCollector: Service {
    let source: any MarketDataSource
    let watched: WatchedSymbols
    let pipeline: IngestPipeline
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let backoff: RetryBackoff
    let logger: Logger

    public init(
        source: any MarketDataSource, watched: WatchedSymbols, pipeline: IngestPipeline, clock: any Clock<Duration>,
        timeSource: any TimeSource, backoff: RetryBackoff = RetryBackoff(), logger: Logger
    ) {
        self.source = source
        self.watched = watched
        self.pipeline = pipeline
        self.clock = clock
        self.timeSource = timeSource
        self.backoff = backoff
        self.logger = logger
    }

    public func run() async {
        // One subscription task at a time. (A task group cannot be reused after
        // cancelAll(), so the current subscription is a task of its own; it
        // inherits the graceful-shutdown context.)
        var current: Task<Void, Never>?
        for await symbols in await watched.updates().cancelOnGracefulShutdown() {
            current?.cancel()
            await current?.value
            current = Task { await stream(symbols) }
        }
        current?.cancel()
        await current?.value
        logger.debug("stream collector stopped", metadata: ["source": "\(source.id)"])
    }

    /// One subscription: connect, deliver, and reconnect with backoff until cancelled.
    private func stream(_ symbols: [Symbol]) async {
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                for try await events in source.liveStream(for: symbols).cancelOnGracefulShutdown() {
                    failures = 0
                    deliver(events)
                }
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                failures += 1
                report("the stream ended", failures: failures)
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                report(String(describing: error), failures: failures)
            }
            let delay = backoff.delay(forAttempt: failures)
            do {
                try await gracefulSleep(for: delay)
            } catch {
                break
            }
        }
    }

    private func deliver(_ events: [MarketEvent]) {
        let now = timeSource.now()
        var delaySum: Int64 = 0
        var delayCount = 0
        for case .quote(let quote) in events {
            delaySum += quote.receivedAt.nanoseconds - quote.exchangeTime.nanoseconds
            delayCount += 1
        }
        let latency = delayCount > 0 ? Double(delaySum) / Double(delayCount) / 1e6 : nil
        pipeline.submit(
            IngestBatch(
                origin: .live, events: events,
                health: [.delivered(source.id, state: .streaming, count: events.count, latencyMilliseconds: latency, at: now)]))
    }

    private func report(_ message: String, failures: Int) {
        let retry = backoff.delay(forAttempt: failures)
        let text = "\(message); retrying in \(retry.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))"
        logger.warning("stream failed", metadata: ["source": "\(source.id)", "error": "\(text)"])
        pipeline.submit(IngestBatch(health: [.failed(source.id, state: .down, message: text, at: timeSource.now())]))
    }

    /// Sleeps on the injected clock, waking early on graceful shutdown.
    private func gracefulSleep(for delay: Duration) async throws {
        try await cancelWhenGracefulShutdown {
            try await clock.sleep(for: delay)
        }
    }
}
