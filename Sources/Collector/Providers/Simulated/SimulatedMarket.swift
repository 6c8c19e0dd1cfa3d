/// The embedded simulated market: a seeded, deterministic market for any
/// symbol list, so ticktop shows live data with no keys and no network, and
/// tests and demos can inject faults.
///
/// History is a pure function of (seed, symbol, time): the same seed gives the
/// same bars in every run and process. The live stream (`advance(to:)`) follows
/// the same path with a little tick noise, and its minute bars are aggregated
/// from exactly the quotes and trades it emitted. Every asset class trades
/// 24/7 here, deliberately, so a demo always moves; only the volume profile
/// knows about the US session.
package struct SimulatedMarket: Sendable {
    package let seed: UInt64
    /// The symbols `advance(to:)` produces values for, in order.
    package private(set) var symbols: [Symbol]
    package let source: SourceID
    package let tickInterval: Duration
    /// The time the market was last advanced to, if ever.
    package private(set) var now: Timestamp?
    /// One feed per symbol of `symbols`, in the same order (`advance` walks them without
    /// looking symbols up); `feedIndex` finds a symbol's.
    private var feeds: [SimulatedFeed] = []
    private var feedIndex: [Symbol: Int] = [:]
    /// The symbols with a fault pending or active (none: nothing to look up per tick).
    private var faults: [Symbol: SimulatedFaultState] = [:]
    private var outageUntil: Timestamp?

    package init(seed: UInt64, symbols: [Symbol], source: SourceID = .simulated, tickInterval: Duration = .milliseconds(250)) {
        self.seed = seed
        self.symbols = []
        self.source = source
        self.tickInterval = tickInterval
        track(symbols)
    }

    /// Adds symbols to the live stream; they start at the next advance.
    package mutating func track(_ newSymbols: [Symbol]) {
        for symbol in newSymbols where feedIndex[symbol] == nil {
            let feed = SimulatedFeed(path: path(for: symbol), source: source, tickInterval: tickInterval)
            feedIndex[symbol] = feeds.count
            symbols.append(symbol)
            feeds.append(feed)
        }
    }

    /// The live values produced since the previous advance: for each symbol,
    /// quotes about every `tickInterval` (jittered per symbol), occasional
    /// trades, and each completed minute bar. The first advance starts at `now`;
    /// after a long pause at most 10 s of ticks are replayed. Returns nothing
    /// during an outage or if time did not move forward.
    package mutating func advance(to now: Timestamp) -> [MarketEvent] {
        if let previous = self.now, now <= previous { return [] }
        self.now = now
        if isDown(at: now) { return [] }
        outageUntil = nil
        var events: [MarketEvent] = []
        for index in feeds.indices {
            let symbol = symbols[index]
            let held = faults.isEmpty ? nil : faults[symbol]
            var state = held ?? SimulatedFaultState()
            feeds[index].advance(to: now, faults: &state, into: &events)
            if state != held ?? SimulatedFaultState() { faults[symbol] = state == SimulatedFaultState() ? nil : state }
        }
        return events
    }

    /// The current quote for `symbol` at `time`, straight from the path
    /// (`nil` while the symbol is stalled).
    package func quote(for symbol: Symbol, at time: Timestamp) -> Quote? {
        if faults[symbol]?.isStalled(at: time) == true { return nil }
        let feed = feedIndex[symbol].map { feeds[$0] } ?? SimulatedFeed(path: path(for: symbol), source: source, tickInterval: tickInterval)
        return feed.snapshotQuote(at: time)
    }

    /// Injects a fault; durations count from `now`.
    package mutating func inject(_ fault: SimulatedFault, at now: Timestamp) {
        switch fault {
        case .spike(let symbol, let factor): faults[symbol, default: .init()].spike = factor
        case .crossedQuote(let symbol): faults[symbol, default: .init()].crossedQuote = true
        case .stall(let symbol, let duration):
            faults[symbol, default: .init()].stalledUntil = duration.map { now + $0 } ?? SimulatedFaultState.forever
        case .barGap(let symbol, let minutes): faults[symbol, default: .init()].gapMinutes += max(0, minutes)
        case .badBar(let symbol): faults[symbol, default: .init()].badBar = true
        case .outage(let duration): outageUntil = max(outageUntil ?? now, now + duration)
        case .offset(let symbol, let percent): faults[symbol, default: .init()].offsetFactor = 1 + percent / 100
        }
    }

    /// Clears every pending and active fault.
    package mutating func clearFaults() {
        faults = [:]
        outageUntil = nil
    }

    /// When the current outage ends, if the source is down at `time`.
    package func outageEnd(at time: Timestamp) -> Timestamp? {
        guard let outageUntil, time < outageUntil else { return nil }
        return outageUntil
    }

    /// True while an injected outage lasts.
    package func isDown(at time: Timestamp) -> Bool { outageEnd(at: time) != nil }

    func path(for symbol: Symbol) -> SimulatedPath {
        feedIndex[symbol].map { feeds[$0].path } ?? SimulatedPath(seed: seed, symbol: symbol)
    }
}
