import Logging
import ServiceLifecycle

/// Polls one source's latest quotes for the watched symbols: feeds them to the
/// pipeline, reports health, and follows watchlist changes.
///
/// A round asks for every watched symbol in chunks of the source's
/// `quoteSymbolsPerRequest` (one request per chunk), each through the
/// provider's shared rate limiter, which paces the round. A round cut short
/// (throttled, or the provider failing) resumes where it stopped, so a budget
/// too small for the whole watchlist rotates through it instead of starving
/// the symbols at the end. Rounds start `interval` apart.
///
/// A quote that repeats the previous one (same exchange time) is not a new
/// value: it confirms the source is alive but is not ingested again, so a
/// symbol whose provider keeps answering with an old quote goes stale.
///
/// Health: a single transient failure (timeout, unreachable, 5xx) only
/// degrades the source; the next one in a row marks it down, so one lost
/// request never causes a failover. A refused key, a changed format or a
/// throttle shows at once as down, format-changed or rate-limited. Failing
/// rounds feed a circuit breaker; throttling does not (it is not an outage).
///
/// With `standInFor` stream statuses (a source that also streams, e.g. Alpaca's stock and
/// crypto streams), a round skips the symbols a connected stream covers and polls the rest:
/// polling is the fallback for each stream while it is down. While any of them is connected
/// the source is streaming: deliveries say so and clean-round notes (unknown symbols, slow
/// requests) wait until no stream is up; failures are still reported.
public struct PollingCollector: Service {
    let source: any MarketDataSource
    let watched: WatchedSymbols
    let pipeline: IngestPipeline
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let interval: Duration
    let breaker: CircuitBreaker.Settings
    /// A round trip slower than this marks the source degraded.
    let slowAfter: Duration
    /// The source's streams; a round skips the symbols the connected ones cover.
    let streams: [StreamStatus]
    let logger: Logger

    public init(
        source: any MarketDataSource, watched: WatchedSymbols, pipeline: IngestPipeline, clock: any Clock<Duration>,
        timeSource: any TimeSource, interval: Duration, breaker: CircuitBreaker.Settings = .init(),
        slowAfter: Duration = .seconds(5), standInFor streams: [StreamStatus] = [], logger: Logger
    ) {
        self.streams = streams
        self.source = source
        self.watched = watched
        self.pipeline = pipeline
        self.clock = clock
        self.timeSource = timeSource
        self.interval = interval
        self.breaker = breaker
        self.slowAfter = slowAfter
        self.logger = logger
    }

    public func run() async {
        await SymbolSetFollower.follow(watched) { await poll($0) }
        logger.debug("polling collector stopped", metadata: ["source": "\(source.id)"])
    }

    /// What one round achieved.
    struct Round {
        var delivered = 0
        /// Symbols the provider had nothing for, with its words.
        var missing: [String] = []
        /// The failure that ended the round early.
        var failure: (any Error)?
        /// Where the next round starts.
        var nextChunk = 0
        var slowest: Duration = .zero
    }

    private func poll(_ symbols: [Symbol]) async {
        guard !symbols.isEmpty else { return }
        var circuit = CircuitBreaker(settings: breaker)
        var failedRounds = 0
        var cursor = 0
        var lastSeen: [Symbol: Timestamp] = [:]
        // Why the last clean round was degraded; deliveries keep that state until a round is clean,
        // so a lasting condition (an unknown symbol) does not flip the state on every poll.
        var note: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if let wait = circuit.waitBeforeAttempt(at: timeSource.now()) {
                do { try await gracefulSleep(for: wait) } catch { break }
                continue
            }
            let streaming = streams.contains { $0.isConnected }
            let pending = symbols.filter { symbol in !streams.contains { $0.covers(symbol) } }
            if pending.isEmpty {
                do { try await gracefulSleep(for: interval) } catch { break }
                continue
            }
            if case .halfOpen = circuit.state {
                pipeline.submit(IngestBatch(health: [.changed(source.id, state: .halfOpen, detail: "probing after a pause")]))
            }
            let started = timeSource.now()
            let state: HealthState = streaming ? .streaming : note == nil ? .polling : .degraded
            let round = await self.round(chunks(of: pending), from: cursor, state: state, note: note, lastSeen: &lastSeen)
            if Task.isCancelled { break }
            cursor = round.nextChunk
            if let failure = round.failure {
                if round.delivered > 0 { circuit.recordSuccess(); failedRounds = 0 } else { failedRounds += 1 }
                report(failure, failedRounds: failedRounds, circuit: &circuit)
                if let remaining = await source.rateLimiter?.status().remaining {
                    pipeline.submit(IngestBatch(health: [.rateLimit(source.id, remaining: remaining)]))
                }
            } else {
                circuit.recordSuccess()
                failedRounds = 0
                // A stream that came up during the round speaks for the source now (and covers
                // what the round missed): no note from this round.
                if !streaming && !streams.contains(where: \.isConnected) { note = reportQuality(round, previous: note) }
            }
            let elapsed = timeSource.now() - started
            do { try await gracefulSleep(for: max(interval - elapsed, .zero)) } catch { break }
        }
    }

    /// `symbols` in request-sized chunks (the source's `quoteSymbolsPerRequest`).
    private func chunks(of symbols: [Symbol]) -> [[Symbol]] {
        let size = max(1, source.quoteSymbolsPerRequest)
        return stride(from: 0, to: symbols.count, by: size).map { Array(symbols[$0..<min($0 + size, symbols.count)]) }
    }

    /// One pass over the chunks, starting at `first` (wrapped: the chunks may have changed since).
    private func round(
        _ chunks: [[Symbol]], from first: Int, state: HealthState, note: String?, lastSeen: inout [Symbol: Timestamp]
    ) async -> Round {
        var round = Round()
        for step in 0..<chunks.count {
            let index = (first + step) % chunks.count
            let chunk = chunks[index]
            let started = timeSource.now()
            do {
                let answered = try await source.latestQuotes(for: chunk)
                let quotes = answered.filter { lastSeen[$0.symbol] != $0.exchangeTime }
                for quote in quotes { lastSeen[quote.symbol] = quote.exchangeTime }
                let now = timeSource.now()
                let latency = now - started
                round.slowest = max(round.slowest, latency)
                // A stream that came up meanwhile is the source's state, not this round's.
                let delivered: HealthState = streams.contains(where: \.isConnected) ? .streaming : state
                var health: [HealthEvent] = []
                // A degraded delivery restates why first, so a move into `degraded` carries its reason.
                if delivered == .degraded, let note { health.append(.changed(source.id, state: .degraded, detail: note)) }
                health.append(
                    .delivered(source.id, state: delivered, count: quotes.count,
                               latencyMilliseconds: Double(latency.nanosecondsValue) / 1e6, at: now))
                if let remaining = await source.rateLimiter?.status().remaining {
                    health.append(.rateLimit(source.id, remaining: remaining))
                }
                pipeline.submit(IngestBatch(origin: .live, path: .poll, events: quotes.map(MarketEvent.quote), health: health))
                round.delivered += quotes.count
                let known = Set(answered.map(\.symbol))
                round.missing += chunk.filter { !known.contains($0) }.map { "no quote for \($0)" }
            } catch let error as ProviderError where error.isSymbolSpecific {
                round.missing.append("\(error.symbol.map { "\($0)" } ?? "?"): \(error.message)")
            } catch is CancellationError {
                return round
            } catch {
                round.failure = error
                round.nextChunk = index
                return round
            }
        }
        round.nextChunk = first
        return round
    }

    /// After a clean round: degraded when some symbols had no quote, requests were slow or the
    /// source has a standing issue; polling again once none is left. Returns the new note.
    private func reportQuality(_ round: Round, previous: String?) -> String? {
        var notes: [String] = []
        if !round.missing.isEmpty {
            let shown = round.missing.prefix(3).joined(separator: "; ")
            notes.append(round.missing.count > 3 ? "\(shown) and \(round.missing.count - 3) more" : shown)
        }
        if round.slowest > slowAfter { notes.append("slow: a request took \(round.slowest.ageText)") }
        if let issue = source.standingIssue { notes.append(issue) }
        guard !notes.isEmpty else {
            if previous != nil { pipeline.submit(IngestBatch(health: [.changed(source.id, state: .polling, detail: nil)])) }
            return nil
        }
        let note = notes.joined(separator: "; ")
        pipeline.submit(IngestBatch(health: [.changed(source.id, state: .degraded, detail: note)]))
        return note
    }

    private func report(_ error: any Error, failedRounds: Int, circuit: inout CircuitBreaker) {
        let now = timeSource.now()
        let provider = error as? ProviderError
        var message = String(describing: error)
        var state = provider?.healthState ?? .down
        if case .rateLimited = provider?.kind {
            // Throttling is not an outage: the limiter holds requests; the circuit stays as it is.
        } else if circuit.recordFailure(at: now), case .open(let until) = circuit.state {
            state = .circuitOpen
            message += "; \(failedRounds) failed rounds in a row, paused until \(until.clockText)"
        } else if provider?.isTransient ?? true, failedRounds < 2 {
            state = .degraded
            message += "; retrying"
        }
        logger.warning("poll failed", metadata: ["source": "\(source.id)", "error": "\(message)"])
        pipeline.submit(IngestBatch(health: [.failed(source.id, state: state, message: message, at: now)]))
    }

    private func gracefulSleep(for delay: Duration) async throws {
        try await SymbolSetFollower.sleep(for: delay, on: clock)
    }
}
