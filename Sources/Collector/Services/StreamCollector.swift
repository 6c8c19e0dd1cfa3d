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
    let breaker: CircuitBreaker.Settings
    let logger: Logger

    public init(
        source: any MarketDataSource, watched: WatchedSymbols, pipeline: IngestPipeline, clock: any Clock<Duration>,
        timeSource: any TimeSource, backoff: RetryBackoff = RetryBackoff(),
        breaker: CircuitBreaker.Settings = .init(), logger: Logger
    ) {
        self.source = source
        self.watched = watched
        self.pipeline = pipeline
        self.clock = clock
        self.timeSource = timeSource
        self.backoff = backoff
        self.breaker = breaker
        self.logger = logger
    }

    public func run() async {
        await SymbolSetFollower.follow(watched) { await stream($0) }
        logger.debug("stream collector stopped", metadata: ["source": "\(source.id)"])
    }

    /// One subscription: connect, deliver, and reconnect until cancelled. Failures
    /// back off exponentially; after `breaker.failureThreshold` in a row the
    /// circuit opens (no attempts for a while), then one probe decides.
    private func stream(_ symbols: [Symbol]) async {
        var failures = 0
        var circuit = CircuitBreaker(settings: breaker)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let wait = circuit.waitBeforeAttempt(at: timeSource.now()) {
                do { try await gracefulSleep(for: wait) } catch { break }
                continue
            }
            if case .halfOpen = circuit.state {
                pipeline.submit(IngestBatch(health: [.probing(source.id)]))
            }
            do {
                for try await events in source.liveStream(for: symbols).cancelOnGracefulShutdown() {
                    failures = 0
                    circuit.recordSuccess()
                    await deliver(events)
                }
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                failures += 1
                report("the stream ended", failures: failures, circuit: &circuit)
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                report(
                    String(describing: error), failures: failures, circuit: &circuit,
                    cause: (error as? ProviderError).map { .provider($0.kind) } ?? .broken)
            }
            if case .open = circuit.state { continue }  // the next turn waits out the open period
            do {
                try await gracefulSleep(for: backoff.delay(forAttempt: failures))
            } catch {
                break
            }
        }
    }

    private func deliver(_ events: [MarketEvent]) async {
        let delivery = HealthFact.Delivery(
            count: events.count, path: .stream, feedDelay: FeedDelay(events), issue: source.standingIssue, at: timeSource.now())
        await pipeline.send(IngestBatch(origin: .live, events: events, health: [.delivered(source.id, delivery)]))
    }

    /// `cause`: what failed (a provider's typed error says, e.g. format-changed); the circuit
    /// opening overrides it.
    private func report(
        _ message: String, failures: Int, circuit: inout CircuitBreaker, cause failed: HealthFact.Failure.Cause = .broken
    ) {
        let now = timeSource.now()
        let opened = circuit.recordFailure(at: now)
        let text: String
        let cause: HealthFact.Failure.Cause
        if opened, case .open(let until) = circuit.state {
            cause = .circuitOpen(until: until)
            text = "\(message); \(failures) failures in a row, paused until \(until.clockText)"
        } else {
            cause = failed
            text = "\(message); retrying in \(backoff.delay(forAttempt: failures).ageText)"
        }
        logger.warning("stream failed", metadata: ["source": "\(source.id)", "error": "\(text)"])
        pipeline.submit(IngestBatch(health: [.failed(source.id, .init(cause, message: text, at: now))]))
    }

    /// Sleeps on the injected clock, waking early on graceful shutdown.
    private func gracefulSleep(for delay: Duration) async throws {
        try await SymbolSetFollower.sleep(for: delay, on: clock, purpose: "reconnect \(source.id)")
    }
}
