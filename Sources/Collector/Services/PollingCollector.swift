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
/// the symbols at the end. Rounds start `interval` apart; a `PollRequests` request (the
/// board's `r`) starts the next round at once, still through the rate limiter.
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
/// Parts: a source whose markets or endpoints fail apart (`MarketDataSource.part(of:)`, e.g.
/// Alpaca's stocks and crypto) is polled in chunks of one part each, and each part has its own
/// failed rounds and circuit. A part that fails is reported as such (`HealthFact.partFailed`: the source
/// shows degraded naming it, and only its symbols fail over) while the round goes on with the
/// other parts, whose quotes are kept; only when every part asked fails, or the failure concerns
/// the whole source (throttled, unreachable, key refused), is the source itself failing.
///
/// With `standInFor` stream statuses (a source that also streams, e.g. Alpaca's stock and
/// crypto streams), a round skips the symbols a connected stream covers and polls the rest:
/// polling is the fallback for each stream while it is down. While any of them is connected
/// the source is streaming: deliveries say so and clean-round notes (unknown symbols, slow
/// requests) wait until no stream is up; failures are still reported. Before its first round
/// the poller gives the streams `streamGrace` (5 s by default) to connect and subscribe, so
/// symbols a stream is about to cover do not cost a request at every start. When a stream drops,
/// the wait between rounds ends at once: its symbols are polled as soon as the rate limiter
/// allows, not a whole interval later.
///
/// Graceful shutdown starts no further round and sends no further request
/// (`ProviderRequests.draining`, as the backfill does): one waiting for the rate limiter is
/// withdrawn unsent, and one already sent is answered and its quotes go to the pipeline, and so
/// to the store, for at most `ProviderRequests.drainDeadline` (then it is cancelled).
package struct PollingCollector: Service {
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
    /// How long the first round waits for the streams to come up.
    let streamGrace: Duration
    /// Requests for a round now, which end the wait between rounds.
    let requests: PollRequests?
    /// Its quote requests under way, which a graceful shutdown drains.
    let sent: ProviderRequests
    let logger: Logger

    package init(
        source: any MarketDataSource, watched: WatchedSymbols, pipeline: IngestPipeline, clock: any Clock<Duration>,
        timeSource: any TimeSource, interval: Duration, breaker: CircuitBreaker.Settings = .init(),
        slowAfter: Duration = .seconds(5), standInFor streams: [StreamStatus] = [],
        streamGrace: Duration = PollingCollector.defaultStreamGrace, requests: PollRequests? = nil,
        sent: ProviderRequests = ProviderRequests(), logger: Logger
    ) {
        self.sent = sent
        self.streams = streams
        self.streamGrace = streamGrace
        self.requests = requests
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

    /// How long a first round waits for the source's streams to connect, by default.
    package static let defaultStreamGrace = Duration.seconds(5)

    /// The clock sleep of the drain's deadline.
    package static let drainPurpose = "poll drain"

    package func run() async {
        await waitForStreams()
        let (watched, poller) = (watched, self)
        await sent.draining(source.id, clock: clock, purpose: Self.drainPurpose) {
            await SymbolSetFollower.follow(watched) { await poller.poll($0) }
        }
        logger.debug("polling collector stopped", metadata: ["source": "\(source.id)"])
    }

    /// What one round achieved.
    struct Round {
        var delivered = 0
        /// Symbols the provider had nothing for, with its words.
        var missing: [String] = []
        /// The same, per symbol, for the board (reported whether or not a stream is up).
        var noData: [(Symbol, String)] = []
        /// The failure that ended the round early (the source as a whole failed, or was throttled).
        var failure: (any Error)?
        /// Parts (see `MarketDataSource.part(of:)`) that failed while the round went on with the others.
        var partFailures: [String: any Error] = [:]
        /// Parts with at least one answered request.
        var answered: Set<String?> = []
        /// Where the next round starts.
        var nextChunk = 0
        var slowest: Duration = .zero
    }

    /// One request's symbols and the part of the source they belong to.
    struct Chunk {
        var part: String?
        var symbols: [Symbol]
    }

    /// A part's circuit breaker and failed rounds in a row (`nil`: the source as a whole).
    struct PartTrack {
        var circuit: CircuitBreaker
        var failedRounds = 0
        /// Whether the part was last reported failing; nil until this poll run has heard from it.
        var failing: Bool?
    }

    private func poll(_ symbols: [Symbol]) async {
        guard !symbols.isEmpty else { return }
        var tracks: [String?: PartTrack] = [:]
        var cursor = 0
        var lastSeen: [Symbol: Timestamp] = [:]
        // Why the last clean round was degraded; deliveries keep that state until a round is clean,
        // so a lasting condition (an unknown symbol) does not flip the state on every poll.
        var note: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = timeSource.now()
            // Drops counted from here end the wait after this round (or instead of one).
            let drops = streams.map(\.dropped)
            // The whole source's circuit holds every part; a part's holds only that part.
            if let wait = tracks[nil, default: PartTrack(circuit: CircuitBreaker(settings: breaker))].circuit
                .waitBeforeAttempt(at: now)
            {
                do { try await gracefulSleep(for: wait) } catch { break }
                continue
            }
            let streaming = streams.contains { $0.isConnected }
            let pending = symbols.filter { symbol in !streams.contains { $0.covers(symbol) } }
            var groups: [String?: [Symbol]] = [:]
            for symbol in pending { groups[source.part(of: symbol), default: []].append(symbol) }
            // A failing part no longer polled (a stream covers it now) is no longer failing here.
            for (part, track) in tracks where track.failing == true {
                guard let part, groups[part] == nil else { continue }
                tracks[part]?.failing = false
                pipeline.submit(IngestBatch(health: [.partRecovered(source.id, part: part, at: now)]))
            }
            var due: [String?] = []
            var soonest: Duration?
            for part in groups.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
                if part == nil {
                    due.append(part)
                    continue
                }
                if let wait = tracks[part, default: PartTrack(circuit: CircuitBreaker(settings: breaker))].circuit
                    .waitBeforeAttempt(at: now)
                {
                    soonest = min(soonest ?? wait, wait)
                } else {
                    due.append(part)
                }
            }
            if due.isEmpty {
                let wait = pending.isEmpty ? interval : min(soonest ?? interval, interval)
                do { try await waitForNextRound(wait, requestedPast: nil, dropsPast: drops) } catch { break }
                continue
            }
            if case .halfOpen = tracks[nil]?.circuit.state {
                pipeline.submit(IngestBatch(health: [.probing(source.id)]))
            }
            // A throttle or quota pause holds the round in the limiter.
            if let until = await source.rateLimiter?.status().pausedUntil, until > timeSource.now() {
                pipeline.submit(IngestBatch(health: [.throttled(source.id, until: until)]))
            }
            let started = timeSource.now()
            let seen = requests?.generation ?? 0
            let requests = due.flatMap { part in chunks(of: groups[part] ?? []).map { Chunk(part: part, symbols: $0) } }
            let round = await self.round(requests, from: cursor, streaming: streaming, note: note, lastSeen: &lastSeen)
            if Task.isCancelled { break }
            cursor = round.nextChunk
            let failingParts = settle(round, due: due, groups: groups, tracks: &tracks)
            if !round.noData.isEmpty {
                // Said even while a stream is up: the symbol's row is where the user looks for why.
                pipeline.submit(IngestBatch(health: round.noData.map { .noData(source.id, $0.0, reason: $0.1) }))
            }
            if let failure = round.failure {
                var whole = tracks[nil] ?? PartTrack(circuit: CircuitBreaker(settings: breaker))
                if round.delivered > 0 {
                    whole.circuit.recordSuccess()
                    whole.failedRounds = 0
                } else {
                    whole.failedRounds += 1
                }
                let (cause, message) = assess(failure, track: &whole)
                tracks[nil] = whole
                logger.warning("poll failed", metadata: ["source": "\(source.id)", "error": "\(message)"])
                pipeline.submit(IngestBatch(health: [.failed(source.id, .init(cause, message: message, at: timeSource.now()))]))
                if let remaining = await source.rateLimiter?.status().remaining {
                    pipeline.submit(IngestBatch(health: [.rateLimit(source.id, remaining: remaining)]))
                }
            } else if !failingParts.isEmpty, !round.answered.contains(where: { $0 != nil }),
                groups.keys.allSatisfy({ $0 == nil || tracks[$0]?.failing == true }),
                !streams.contains(where: \.isConnected)
            {
                // Every part polled is failing and no stream serves: the source as a whole is as bad
                // as its worst part.
                tracks[nil, default: PartTrack(circuit: CircuitBreaker(settings: breaker))].circuit.recordSuccess()
                pipeline.submit(IngestBatch(health: [.everyPartFailing(source.id, parts: failingParts)]))
            } else {
                tracks[nil, default: PartTrack(circuit: CircuitBreaker(settings: breaker))].circuit.recordSuccess()
                tracks[nil]?.failedRounds = 0
                // A stream that came up during the round speaks for the source now (and covers
                // what the round missed): no note from this round.
                if !streaming && !streams.contains(where: \.isConnected) { note = reportQuality(round, previous: note) }
            }
            let elapsed = timeSource.now() - started
            do { try await waitForNextRound(max(interval - elapsed, .zero), requestedPast: seen, dropsPast: drops) } catch {
                break
            }
        }
    }

    /// Waits until every stream is subscribed, for at most `streamGrace` (none without streams).
    private func waitForStreams() async {
        guard !streams.isEmpty else { return }
        let streams = self.streams
        let timer = Self.timer(on: clock, for: streamGrace)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for stream in streams { await stream.untilSubscribed() } }
            group.addTask { await timer() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Waits until `duration` from now (now, not when the wait starts); ends early on shutdown.
    private static func timer<C: Clock<Duration>>(on clock: C, for duration: Duration) -> @Sendable () async -> Void {
        let deadline = clock.now.advanced(by: duration)
        return { try? await cancelWhenGracefulShutdown { try await clock.sleep(until: deadline, purpose: "stream grace") } }
    }

    /// `symbols` in request-sized chunks (the source's `quoteSymbolsPerRequest`).
    private func chunks(of symbols: [Symbol]) -> [[Symbol]] {
        let size = max(1, source.quoteSymbolsPerRequest)
        return stride(from: 0, to: symbols.count, by: size).map { Array(symbols[$0..<min($0 + size, symbols.count)]) }
    }

    /// One pass over the chunks, starting at `first` (wrapped: the chunks may have changed since).
    /// A failure of a part skips that part's other chunks and the round goes on with the other
    /// parts; a failure of the source as a whole (no parts, throttled, unreachable) ends it.
    private func round(
        _ chunks: [Chunk], from first: Int, streaming: Bool, note: String?, lastSeen: inout [Symbol: Timestamp]
    ) async -> Round {
        var round = Round()
        for step in 0..<chunks.count {
            let index = (first + step) % chunks.count
            let chunk = chunks[index]
            if let part = chunk.part, round.partFailures[part] != nil { continue }
            let started = timeSource.now()
            let answered: [Quote]
            let failure: (any Error)?
            let timings: RequestTimings?
            // Under way until its quotes are in the pipeline; withdrawn unsent once a drain began.
            let ticket = sent.beginQuotes(of: source.id)
            defer { sent.end(ticket) }
            do {
                let (source, sent) = (source, sent)
                let (quotes, timed) = try await RequestTimings.measure {
                    try await sent.fetch(ticket) { try await source.latestQuotes(for: chunk.symbols) }
                }
                answered = quotes
                failure = nil
                timings = timed
            } catch let partial as PartialAnswer<[Quote]> {
                // Some of the chunk's requests answered: keep their quotes, and count the rest as failed.
                answered = partial.values
                failure = partial.failures.first
                timings = nil
            } catch let error as ProviderError where error.isSymbolSpecific {
                round.missing.append("\(error.symbol.map { "\($0)" } ?? "?"): \(error.message)")
                round.answered.insert(chunk.part)  // the provider answered, about this symbol
                if let symbol = error.symbol {
                    let reason =
                        error.kind == .notFound
                        ? "unknown to \(source.id.label)" : "\(source.id.label) has no data: \(error.message)"
                    round.noData.append((symbol, reason))
                }
                continue
            } catch is CancellationError {
                return round
            } catch {
                answered = []
                failure = error
                timings = nil
            }
            if failure == nil, answered.isEmpty, timings?.slowest == nil {
                // No request went out (the source serves none of these symbols): nothing answered, so
                // no delivery, which would show the source polling and fresh while its requests wait.
                round.missing += chunk.symbols.map { "no quote for \($0)" }
                round.noData += chunk.symbols.map { ($0, "unknown to \(source.id.label)") }
                continue
            }
            if failure == nil || !answered.isEmpty {
                round.answered.insert(chunk.part)
                let quotes = answered.filter { lastSeen[$0.symbol] != $0.exchangeTime }
                for quote in quotes { lastSeen[quote.symbol] = quote.exchangeTime }
                let now = timeSource.now()
                // From when the requests were sent (not counting our own rate limiter's wait), where timed.
                let latency = timings?.slowest ?? (now - started)
                round.slowest = max(round.slowest, latency)
                // A stream that came up meanwhile speaks for the source, not this round.
                let streamUp = streaming || streams.contains(where: \.isConnected)
                var health: [HealthFact] = [
                    .delivered(
                        source.id,
                        .init(
                            count: quotes.count, path: .poll, roundTripMilliseconds: Double(latency.nanosecondsValue) / 1e6,
                            streamUp: streamUp, issue: note, at: now))
                ]
                if let remaining = await source.rateLimiter?.status().remaining {
                    health.append(.rateLimit(source.id, remaining: remaining))
                }
                let events = quotes.map(MarketEvent.quote)
                pipeline.tape?.record(events)
                pipeline.submit(IngestBatch(origin: .live, path: .poll, events: events, health: health))
                round.delivered += quotes.count
                if failure == nil {
                    let known = Set(answered.map(\.symbol))
                    let unknown = chunk.symbols.filter { !known.contains($0) }
                    round.missing += unknown.map { "no quote for \($0)" }
                    round.noData += unknown.map { ($0, "unknown to \(source.id.label)") }
                }
            }
            guard let failure else { continue }
            if let part = chunk.part, !Self.failsTheWholeSource(failure) {
                round.partFailures[part] = failure
                continue
            }
            round.failure = failure
            round.nextChunk = index
            return round
        }
        round.nextChunk = first
        return round
    }

    /// A throttle, an unreachable host or a refused key concerns every part of the source, not
    /// only the one that met it.
    static func failsTheWholeSource(_ error: any Error) -> Bool {
        guard let provider = error as? ProviderError else { return false }
        switch provider.kind {
        case .rateLimited, .unreachable, .unauthorized: return true
        default: return false
        }
    }

    /// Updates each due part's circuit from the round and reports the parts that failed (while
    /// others may have answered) and those that answer again. Returns the failing parts reported.
    private func settle(
        _ round: Round, due: [String?], groups: [String?: [Symbol]], tracks: inout [String?: PartTrack]
    ) -> [String] {
        let now = timeSource.now()
        var health: [HealthFact] = []
        var failing: [String] = []
        for case let part? in due {
            var track = tracks[part] ?? PartTrack(circuit: CircuitBreaker(settings: breaker))
            if let failure = round.partFailures[part] {
                if round.answered.contains(part) {
                    track.circuit.recordSuccess()
                    track.failedRounds = 0
                } else {
                    track.failedRounds += 1
                }
                let (cause, message) = assess(failure, track: &track)
                logger.warning("poll failed", metadata: ["source": "\(source.id)", "part": "\(part)", "error": "\(message)"])
                health.append(
                    .partFailed(source.id, part: part, symbols: groups[part] ?? [], .init(cause, message: message, at: now)))
                failing.append(part)
                track.failing = true
            } else if round.answered.contains(part) {
                track.circuit.recordSuccess()
                track.failedRounds = 0
                if track.failing != false {
                    health.append(.partRecovered(source.id, part: part, at: now))
                    track.failing = false
                }
            }
            tracks[part] = track
        }
        if !health.isEmpty { pipeline.submit(IngestBatch(health: health)) }
        return failing
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
            if previous != nil { pipeline.submit(IngestBatch(health: [.polled(source.id, issue: nil)])) }
            return nil
        }
        let note = notes.joined(separator: "; ")
        pipeline.submit(IngestBatch(health: [.polled(source.id, issue: note)]))
        return note
    }

    /// What a failure of the source (or one part of it) was, and its message: throttling does not
    /// feed the circuit (it is not an outage); other failures do, and open it after enough in a
    /// row; a first transient failure is retried (`HealthBook` decides what each shows).
    private func assess(_ error: any Error, track: inout PartTrack) -> (HealthFact.Failure.Cause, String) {
        let now = timeSource.now()
        let provider = error as? ProviderError
        var message = String(describing: error)
        var cause: HealthFact.Failure.Cause = provider.map { .provider($0.kind) } ?? .broken
        if case .rateLimited = provider?.kind {
            // Throttling is not an outage: the limiter holds requests; the circuit stays as it is.
        } else if track.circuit.recordFailure(at: now), case .open(let until) = track.circuit.state {
            cause = .circuitOpen(until: until)
            message += "; \(track.failedRounds) failed rounds in a row, paused until \(until.clockText)"
        } else if provider?.isTransient ?? true, track.failedRounds < 2 {
            cause = .retrying
            message += "; retrying"
        }
        return (cause, message)
    }

    private func gracefulSleep(for delay: Duration) async throws {
        try await SymbolSetFollower.sleep(for: delay, on: clock, purpose: "poll \(source.id)")
    }

    /// Sleeps `delay`, or less when a round is requested after the one that saw `seen` (nil: not
    /// woken by requests) or a stream drops after it had dropped `drops` times; throws on
    /// graceful shutdown.
    private func waitForNextRound(_ delay: Duration, requestedPast seen: UInt64?, dropsPast drops: [Int]) async throws {
        let requests = seen.flatMap { _ in self.requests }
        guard delay > .zero, requests != nil || !streams.isEmpty else { return try await gracefulSleep(for: delay) }
        let streams = self.streams
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gracefulSleep(for: delay) }
            if let requests, let seen { group.addTask { await requests.wait(past: seen) } }
            for (stream, count) in zip(streams, drops) { group.addTask { await stream.untilDropped(past: count) } }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
