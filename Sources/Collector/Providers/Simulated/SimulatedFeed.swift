import Foundation

/// The live state of one symbol in the simulated market: its tick schedule,
/// today's minute path, the last trade, today's volume and the minute-bar
/// aggregator fed with exactly the values it emits.
struct SimulatedFeed: Sendable {
    let path: SimulatedPath
    let source: SourceID
    /// Nominal tick spacing in nanoseconds; each step is jittered by ±20 %.
    let tickInterval: Int64
    private(set) var lastTick: Timestamp?
    private var nextTick = Timestamp.zero
    private var day: SimulatedDay?
    private var lastTrade: Double?
    private var dayVolume = 0.0
    private var tradeSequence = 0
    private var aggregator: BarAggregator
    /// Since when the feed has ticked without a break: a minute bar that starts earlier was
    /// seen only in part (the minute the feed started in, or one cut by a long pause) and is
    /// not sent; the backfill fetches that minute whole from history.
    private var unbrokenSince: Timestamp?

    /// Longest stretch of past ticks replayed after a gap between advances.
    static let maxCatchUp = Duration.seconds(10)

    init(path: SimulatedPath, source: SourceID, tickInterval: Duration) {
        self.path = path
        self.source = source
        self.tickInterval = max(1_000, tickInterval.nanosecondsValue)
        aggregator = BarAggregator(symbol: path.instrument.symbol, source: source, timeframe: .oneMinute)
    }

    var symbol: Symbol { path.instrument.symbol }

    /// Appends the symbol's events from its last tick up to `now`. The first
    /// call emits one quote at `now`; later calls replay at most `maxCatchUp`.
    mutating func advance(to now: Timestamp, faults: inout SimulatedFaultState, into events: inout [MarketEvent]) {
        if let until = faults.stalledUntil {
            guard now >= until else { return }
            faults.stalledUntil = nil
            if nextTick < until {
                nextTick = until
                unbrokenSince = until
            }
        }
        if lastTick == nil {
            unbrokenSince = now
            tick(at: now, receivedAt: now, faults: &faults, into: &events)
        } else {
            if nextTick < now - Self.maxCatchUp {
                nextTick = now - Self.maxCatchUp
                unbrokenSince = nextTick
            }
            while nextTick <= now {
                tick(at: nextTick, receivedAt: now, faults: &faults, into: &events)
            }
        }
        if let bar = aggregator.close(through: now) { emit(bar, faults: &faults, into: &events) }
    }

    /// A quote at `time` straight from the path, without live state (for snapshots).
    func snapshotQuote(at time: Timestamp) -> Quote {
        let today = path.day(SimulatedDay.index(containing: time))
        let (minute, fraction) = Self.position(of: time, in: today)
        let volume = today.volume(before: minute) + today.volumes[minute] * fraction
        return quote(at: time, day: today, receivedAt: time, last: nil, dayVolume: volume)
    }

    private mutating func tick(
        at time: Timestamp, receivedAt now: Timestamp, faults: inout SimulatedFaultState,
        into events: inout [MarketEvent]
    ) {
        let today = currentDay(containing: time)
        let (minute, _) = Self.position(of: time, in: today)
        var quote = quote(at: time, day: today, receivedAt: now, last: lastTrade, dayVolume: dayVolume)
        let instrument = path.instrument
        if let factor = faults.offsetFactor {
            quote.bid = quote.bid.map { instrument.round($0 * factor) }
            quote.ask = quote.ask.map { instrument.round($0 * factor) }
            quote.last = quote.last.map { instrument.round($0 * factor) }
        }
        let (tradeDraw, side) = path.random.uniformPair(.tickTrade, time.nanoseconds)
        let probability = min(0.5, 0.02 + 0.15 * path.activity.relativeActivity(minute: minute))
        if tradeDraw < probability {
            let ticksPerMinute = Double(SimulatedDay.nanosecondsPerMinute) / Double(tickInterval)
            let meanSize = today.volumes[minute] / (ticksPerMinute * probability)
            let draw = path.random.uniform(.tradeSize, time.nanoseconds)
            let lots = max(1, (meanSize * (0.25 + 1.5 * draw) / instrument.lotSize).rounded())
            var trade = Trade(
                symbol: symbol, source: source, price: (side < 0.5 ? quote.bid : quote.ask) ?? quote.price,
                size: instrument.size(lots: lots), exchangeTime: time, receivedAt: now,
                tradeID: "\(source.rawValue)-\(symbol)-\(tradeSequence)")
            tradeSequence += 1
            if let factor = faults.takeSpike() {
                trade.price = instrument.round(trade.price * factor)
            } else {
                lastTrade = trade.price
                dayVolume += trade.size
                quote.last = trade.price
                quote.dayVolume = instrument.roundVolume(dayVolume)
                if let bar = aggregator.add(trade) { emit(bar, faults: &faults, into: &events) }
            }
            events.append(.trade(trade))
        }
        if faults.crossedQuote {
            faults.crossedQuote = false
            (quote.bid, quote.ask) = (quote.ask, quote.bid)
        }
        if let factor = faults.takeSpike() {
            quote.bid = quote.bid.map { instrument.round($0 * factor) }
            quote.ask = quote.ask.map { instrument.round($0 * factor) }
            quote.last = quote.last.map { instrument.round($0 * factor) }
        } else if let bar = aggregator.add(price: quote.level.value, at: time) {
            emit(bar, faults: &faults, into: &events)
        }
        events.append(.quote(quote))
        lastTick = time
        let jitter = 0.8 + 0.4 * path.random.uniform(.tickJitter, time.nanoseconds)
        nextTick = time + .nanoseconds(max(1, Int64(Double(tickInterval) * jitter)))
    }

    /// Applies bar faults (gap, bad bar, spike) and appends the bar, unless the feed saw only
    /// part of its minute.
    private func emit(_ bar: Bar, faults: inout SimulatedFaultState, into events: inout [MarketEvent]) {
        if let unbrokenSince, bar.start < unbrokenSince { return }
        if faults.gapMinutes > 0 {
            faults.gapMinutes -= 1
            return
        }
        var bar = bar
        if faults.badBar {
            faults.badBar = false
            (bar.high, bar.low) = (bar.low, bar.high)
            if bar.high >= bar.low { bar.low = bar.high + path.instrument.tickSize }
        }
        if let factor = faults.takeSpike() {
            bar.open *= factor
            bar.high *= factor
            bar.low *= factor
            bar.close *= factor
            bar.vwap = bar.vwap.map { $0 * factor }
        }
        events.append(.bar(bar))
    }

    /// Today's path, recomputed when the UTC day changes (today's volume restarts then).
    private mutating func currentDay(containing time: Timestamp) -> SimulatedDay {
        let index = SimulatedDay.index(containing: time)
        if let day, day.index == index { return day }
        let today = path.day(index)
        if lastTick == nil {
            let (minute, fraction) = Self.position(of: time, in: today)
            dayVolume = path.instrument.roundVolume(today.volume(before: minute) + today.volumes[minute] * fraction)
        } else {
            dayVolume = 0
        }
        day = today
        return today
    }

    /// The quote at `time`: the mid interpolated between minute points plus a
    /// little noise, a class-typical spread rounded out to ticks, random lot sizes.
    private func quote(at time: Timestamp, day: SimulatedDay, receivedAt: Timestamp, last: Double?, dayVolume: Double)
        -> Quote
    {
        let instrument = path.instrument
        let (minute, fraction) = Self.position(of: time, in: day)
        let start = day.logPrices[minute]
        let end = day.logPrices[minute + 1]
        let noise =
            0.3 * instrument.dailyVolatility * path.activity.stepScale[minute]
            * path.random.normal(.tickNoise, time.nanoseconds)
        let mid = exp(start + (end - start) * fraction + noise)
        let half = mid * instrument.spreadBasisPoints / 20_000
        let bid = instrument.round(mid - half, .down)
        var ask = instrument.round(mid + half, .up)
        if ask <= bid { ask = ((bid * instrument.ticksPerUnit).rounded() + 1) / instrument.ticksPerUnit }
        let (bidDraw, askDraw) = path.random.uniformPair(.tickSize, time.nanoseconds)
        return Quote(
            symbol: symbol, source: source,
            bid: bid, bidSize: instrument.size(lots: 1 + (bidDraw * 20).rounded(.down)),
            ask: ask, askSize: instrument.size(lots: 1 + (askDraw * 20).rounded(.down)),
            last: last ?? instrument.round(mid), exchangeTime: time, receivedAt: receivedAt,
            previousClose: path.price(day.logPrices[0]), dayVolume: instrument.roundVolume(dayVolume))
    }

    /// The minute of the day containing `time` and how far into it `time` lies (0..<1).
    private static func position(of time: Timestamp, in day: SimulatedDay) -> (Int, Double) {
        let offset = time.nanoseconds - day.start.nanoseconds
        let minute = Int(offset / SimulatedDay.nanosecondsPerMinute)
        let fraction = Double(offset % SimulatedDay.nanosecondsPerMinute) / Double(SimulatedDay.nanosecondsPerMinute)
        return (min(minute, SimulatedActivity.minutesPerDay - 1), fraction)
    }
}
