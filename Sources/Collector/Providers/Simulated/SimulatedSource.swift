/// The embedded simulated market as a `MarketDataSource` (labelled SIM).
///
/// One `SimulatedMarket` is shared by every live stream, so injected faults
/// hit once and a reconnecting stream continues the same market. Each stream
/// loops: sleep `tickInterval` on the injected clock, advance the market to
/// the time source's now, and yield the new values for its symbols.
package actor SimulatedSource: MarketDataSource {
    package nonisolated let id: SourceID
    package nonisolated let kind = "simulated"
    package nonisolated let capabilities: SourceCapabilities = [.historyBars, .latestQuotes]
    private nonisolated let tickInterval: Duration
    private nonisolated let clock: any Clock<Duration>
    private nonisolated let timeSource: any TimeSource
    private var market: SimulatedMarket
    /// Values produced but not yet handed to each stream, and the symbols it wants.
    private var subscribers: [Int: (symbols: Set<Symbol>, pending: [MarketEvent])] = [:]
    private var nextSubscriber = 0

    /// Most values kept for a stream that has not polled yet.
    private static let maxPending = 50_000

    package init(
        id: SourceID = .simulated, seed: UInt64, symbols: [Symbol], tickInterval: Duration,
        clock: any Clock<Duration>, timeSource: any TimeSource, faults: [SimulatedFault] = []
    ) {
        self.id = id
        self.tickInterval = tickInterval
        self.clock = clock
        self.timeSource = timeSource
        var market = SimulatedMarket(seed: seed, symbols: symbols, source: id, tickInterval: tickInterval)
        let now = timeSource.now()
        for fault in faults { market.inject(fault, at: now) }
        self.market = market
    }

    /// Completed bars up to the time source's now.
    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        let now = timeSource.now()
        try checkUp(at: now)
        // A bar ending at the instant after the range's last one still ends within it.
        return market.bars(
            for: symbol, timeframe: timeframe, from: range.lowerBound,
            through: min(range.upperBound + .nanoseconds(1), now))
    }

    /// The current quote of each symbol (all tracked symbols if empty); stalled symbols are left out.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        let now = timeSource.now()
        try checkUp(at: now)
        return (symbols.isEmpty ? market.symbols : symbols).compactMap { market.quote(for: $0, at: now) }
    }

    /// Injects a fault now.
    package func inject(_ fault: SimulatedFault) {
        market.inject(fault, at: timeSource.now())
    }

    /// Clears every fault.
    package func clearFaults() {
        market.clearFaults()
    }

    /// Batches of live values for `symbols` (all tracked symbols if empty).
    /// Throws `ProviderError.unavailable` during a simulated outage.
    package nonisolated func liveStream(for symbols: [Symbol]) -> AsyncThrowingStream<[MarketEvent], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task(executorPreference: CoreThread.preferred) { await self.produce(symbols, into: continuation) }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func produce(_ symbols: [Symbol], into continuation: AsyncThrowingStream<[MarketEvent], any Error>.Continuation)
        async
    {
        let subscriber = subscribe(symbols)
        defer { subscribers[subscriber] = nil }
        do {
            while !Task.isCancelled {
                try await clock.sleep(for: tickInterval, purpose: "tick \(id)")
                let batch = try poll(subscriber)
                if !batch.isEmpty { continuation.yield(batch) }
            }
            continuation.finish()
        } catch is CancellationError {
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }

    private func subscribe(_ symbols: [Symbol]) -> Int {
        market.track(symbols)
        defer { nextSubscriber += 1 }
        subscribers[nextSubscriber] = (Set(symbols.isEmpty ? market.symbols : symbols), [])
        return nextSubscriber
    }

    /// Advances the shared market, fans the new values out, and hands over this stream's.
    private func poll(_ subscriber: Int) throws -> [MarketEvent] {
        let now = timeSource.now()
        try checkUp(at: now)
        let events = market.advance(to: now)
        if !events.isEmpty {
            for (key, var entry) in subscribers {
                // A stream of every tracked symbol (the usual one) takes them all, unfiltered.
                let all = entry.symbols.count == market.symbols.count
                if all && entry.pending.isEmpty {
                    entry.pending = events  // shared, not copied value by value
                } else {
                    entry.pending.append(contentsOf: all ? events : events.filter { entry.symbols.contains($0.symbol) })
                }
                if entry.pending.count > Self.maxPending { entry.pending.removeFirst(entry.pending.count - Self.maxPending) }
                subscribers[key] = entry
            }
        }
        defer { subscribers[subscriber]?.pending = [] }
        return subscribers[subscriber]?.pending ?? []
    }

    private func checkUp(at now: Timestamp) throws(ProviderError) {
        if let end = market.outageEnd(at: now) {
            throw ProviderError.unavailable(source: id, reason: "simulated outage until \(end.iso8601)")
        }
    }
}
