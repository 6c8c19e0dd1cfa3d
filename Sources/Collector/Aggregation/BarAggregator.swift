/// Builds bars of one timeframe for one symbol from trades, price observations
/// or finer bars, and hands each bar out when its bucket closes.
///
/// Values must arrive in time order; one older than the open bar's bucket is
/// ignored. Trades add volume, VWAP and count; plain prices (e.g. quote mids)
/// move only open, high, low and close. A bucket closes when a value from a
/// later bucket arrives or `close(through:)` passes its end.
///
/// Prices pass through as sent; volumes are summed as decimals (0.1 + 0.2 is 0.3), and the
/// VWAP, a ratio, is rounded to `vwapExtraPlaces` decimals beyond the prices it averages (trade
/// prices, or the finer bars' VWAPs), so trades all at 211.42 give a VWAP of 211.42.
public struct BarAggregator: Sendable {
    package let symbol: Symbol
    package let source: SourceID
    package let timeframe: Timeframe
    /// The bar being built, if any value arrived in its bucket.
    package private(set) var openBar: Bar?
    private var bucketEnd = Timestamp.zero
    private var notional = 0.0
    private var notionalVolume = 0.0
    /// The most decimal places among the prices averaged into the open bar's VWAP.
    private var vwapPlaces = 0

    /// Decimals a VWAP keeps beyond the prices it averages (Polygon's own `vw` has 4).
    package static let vwapExtraPlaces = 4

    package init(symbol: Symbol, source: SourceID, timeframe: Timeframe) {
        self.symbol = symbol
        self.source = source
        self.timeframe = timeframe
    }

    /// Adds a trade; returns the previous bar if this trade closed it.
    package mutating func add(_ trade: Trade) -> Bar? {
        add(
            price: trade.price, volume: trade.size, trades: 1, vwapNotional: trade.price * trade.size,
            at: trade.exchangeTime)
    }

    /// Adds a price seen at `time` without volume (a quote mid, an index level).
    package mutating func add(price: Double, at time: Timestamp) -> Bar? {
        add(price: price, volume: 0, trades: 0, vwapNotional: nil, at: time)
    }

    /// Adds a finer bar (e.g. 1Min into 1Hour); returns the previous bar if this one closed it.
    package mutating func add(_ bar: Bar) -> Bar? {
        let closed = roll(to: bar.start)
        if let start = openBar?.start, bar.start < start { return closed }
        if var current = openBar {
            current.high = max(current.high, bar.high)
            current.low = min(current.low, bar.low)
            current.close = bar.close
            current.volume = DecimalArithmetic.sum(current.volume, bar.volume)
            current.tradeCount = sum(current.tradeCount, bar.tradeCount)
            openBar = current
        } else {
            openBar = Bar(
                symbol: symbol, source: source, timeframe: timeframe,
                start: timeframe.bucketStart(containing: bar.start),
                open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume,
                tradeCount: bar.tradeCount)
        }
        if let vwap = bar.vwap, bar.volume > 0 {
            notional += vwap * bar.volume
            notionalVolume += bar.volume
            vwapPlaces = max(vwapPlaces, DecimalArithmetic.places(of: vwap) ?? 0)
        }
        let vwap = currentVWAP
        openBar?.vwap = vwap
        return closed
    }

    /// Returns the open bar if its bucket ended at or before `time`, and starts afresh.
    package mutating func close(through time: Timestamp) -> Bar? {
        guard let bar = openBar, bucketEnd <= time else { return nil }
        reset()
        return bar
    }

    /// Drops the open bar.
    package mutating func reset() {
        openBar = nil
        notional = 0
        notionalVolume = 0
        vwapPlaces = 0
    }

    /// The open bar's VWAP, rounded to `vwapExtraPlaces` beyond its prices; nil without volume.
    private var currentVWAP: Double? {
        guard notionalVolume > 0 else { return nil }
        let places = min(vwapPlaces + Self.vwapExtraPlaces, DecimalArithmetic.maximumPlaces)
        return DecimalArithmetic.rounded(notional / notionalVolume, places: places)
    }

    /// Rolls finer bars of one symbol and source, oldest first, into bars of
    /// `timeframe`. The last bar is included even if its bucket is still open.
    public static func aggregate(_ bars: [Bar], into timeframe: Timeframe) -> [Bar] {
        guard let first = bars.first else { return [] }
        var aggregator = BarAggregator(symbol: first.symbol, source: first.source, timeframe: timeframe)
        var result = bars.compactMap { aggregator.add($0) }
        if let open = aggregator.openBar { result.append(open) }
        return result
    }

    /// The end (exclusive) of the bucket of `timeframe` starting at `start`.
    package static func bucketEnd(of timeframe: Timeframe, startingAt start: Timestamp) -> Timestamp {
        switch timeframe {
        case .oneMonth: timeframe.bucketStart(containing: start + .seconds(32 * 86_400))
        default: start + timeframe.nominalDuration
        }
    }

    private mutating func add(
        price: Double, volume: Double, trades: Int, vwapNotional: Double?, at time: Timestamp
    ) -> Bar? {
        let closed = roll(to: time)
        if let start = openBar?.start, time < start { return closed }
        let opens = openBar == nil
        if opens {
            openBar = Bar(
                symbol: symbol, source: source, timeframe: timeframe,
                start: timeframe.bucketStart(containing: time),
                open: price, high: price, low: price, close: price, volume: volume, tradeCount: trades)
        } else {
            openBar?.include(price: price, volume: volume, trades: trades)  // in place: a bar is large to copy
        }
        let addsVolume = vwapNotional != nil && volume > 0
        if let vwapNotional, addsVolume {
            notional += vwapNotional
            notionalVolume += volume
            vwapPlaces = max(vwapPlaces, DecimalArithmetic.places(of: price) ?? 0)
        }
        // The VWAP moves only with volume (a quote's price adds none): not worked out again without it.
        if opens || addsVolume {
            let vwap = currentVWAP
            openBar?.vwap = vwap
        }
        return closed
    }

    /// Closes the open bar if `time` lies beyond its bucket, and notes the new bucket's end.
    private mutating func roll(to time: Timestamp) -> Bar? {
        var closed: Bar?
        if openBar != nil, time >= bucketEnd { closed = close(through: time) }
        if openBar == nil {
            bucketEnd = Self.bucketEnd(of: timeframe, startingAt: timeframe.bucketStart(containing: time))
        }
        return closed
    }

    private func sum(_ lhs: Int?, _ rhs: Int?) -> Int? {
        guard lhs != nil || rhs != nil else { return nil }
        return (lhs ?? 0) + (rhs ?? 0)
    }
}

extension Bar {
    /// Widens the bar to `price` and adds `volume` and `trades`.
    fileprivate mutating func include(price: Double, volume: Double, trades: Int) {
        high = max(high, price)
        low = min(low, price)
        close = price
        // Adding 0 leaves a volume other than zero as it is (its decimal sum with 0 is itself).
        if volume != 0 || self.volume == 0 { self.volume = DecimalArithmetic.sum(self.volume, volume) }
        tradeCount = (tradeCount ?? 0) + trades
    }
}
