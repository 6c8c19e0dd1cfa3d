import Logging
import ServiceLifecycle

/// Keeps one source's live stream running: feeds its batches to the pipeline,
/// reports health, and reconnects with backoff when the stream fails or ends.
public struct StreamCollector: Service {
    let source: any MarketDataSource
    let symbols: [Symbol]
    let pipeline: IngestPipeline
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let backoff: RetryBackoff
    let logger: Logger

    public init(
        source: any MarketDataSource, symbols: [Symbol], pipeline: IngestPipeline, clock: any Clock<Duration>,
        timeSource: any TimeSource, backoff: RetryBackoff = RetryBackoff(), logger: Logger
    ) {
        self.source = source
        self.symbols = symbols
        self.pipeline = pipeline
        self.clock = clock
        self.timeSource = timeSource
        self.backoff = backoff
        self.logger = logger
    }

    public func run() async {
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
        logger.debug("stream collector stopped", metadata: ["source": "\(source.id)"])
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
