/// One replayable value, stored compactly: numbers only, the symbol as an index into the tape's
/// symbol table (about 100 bytes a row, so a million rows take about 100 MB).
struct ReplayRow: Sendable {
    enum Kind: UInt8, Sendable { case quote, trade, bar }

    /// Where the value sits in the replay timeline (ns since the epoch): the exchange time of a
    /// quote or trade, the END of a bar (a live feed sends a bar when it completes).
    var replayTime: Int64
    /// The exchange time of a quote or trade, the start of a bar (ns).
    var time: Int64
    /// How long after `time` the recording received a quote or trade (ns); -1 when unknown.
    var delay: Int64
    /// Quote: bid, bid size, ask, ask size, last, previous close, day volume (absent sides and sizes NaN).
    /// Trade: price, size. Bar: open, high, low, close, volume, VWAP. Absent optionals are NaN
    /// (parsers reject non-finite numbers, so NaN never means a real value).
    var v0 = 0.0, v1 = 0.0, v2 = 0.0, v3 = 0.0, v4 = 0.0, v5 = Double.nan, v6 = Double.nan
    /// A bar's trade count, or the index of a trade's id in the tape; -1 when absent.
    var extra: Int32 = -1
    var symbol: UInt32
    /// Load order, so values with the same time keep their file order after sorting.
    var sequence: UInt32 = 0
    var kind: Kind
    var timeframe: Timeframe?

    static func quote(
        symbol: UInt32, time: Timestamp, delay: Int64 = -1, bid: Double?, bidSize: Double?, ask: Double?,
        askSize: Double?, last: Double? = nil, previousClose: Double? = nil, dayVolume: Double? = nil
    ) -> ReplayRow {
        ReplayRow(
            replayTime: time.nanoseconds, time: time.nanoseconds, delay: delay, v0: bid ?? .nan, v1: bidSize ?? .nan,
            v2: ask ?? .nan, v3: askSize ?? .nan, v4: last ?? .nan, v5: previousClose ?? .nan, v6: dayVolume ?? .nan,
            symbol: symbol,
            kind: .quote)
    }

    static func trade(symbol: UInt32, time: Timestamp, delay: Int64 = -1, price: Double, size: Double, id: Int32)
        -> ReplayRow
    {
        ReplayRow(
            replayTime: time.nanoseconds, time: time.nanoseconds, delay: delay, v0: price, v1: size, extra: id,
            symbol: symbol, kind: .trade)
    }

    /// A bar; `timeframe` nil means "told later" (files whose bar length is inferred).
    static func bar(
        symbol: UInt32, timeframe: Timeframe?, start: Timestamp, open: Double, high: Double, low: Double,
        close: Double, volume: Double, vwap: Double? = nil, tradeCount: Int? = nil
    ) -> ReplayRow {
        var row = ReplayRow(
            replayTime: start.nanoseconds, time: start.nanoseconds, delay: -1, v0: open, v1: high, v2: low,
            v3: close, v4: volume, v5: vwap ?? .nan,
            extra: tradeCount.map { Int32(clamping: $0) } ?? -1, symbol: symbol, kind: .bar)
        if let timeframe { row.setTimeframe(timeframe) }
        return row
    }

    /// Sets a bar's timeframe and moves it to its end in the timeline.
    mutating func setTimeframe(_ timeframe: Timeframe) {
        self.timeframe = timeframe
        let start = Timestamp(nanoseconds: time)
        replayTime = BarAggregator.bucketEnd(of: timeframe, startingAt: start).nanoseconds
    }

    /// The value at `time` (exchange time or bar start) and `receivedAt`, with the tape's symbol and trade id.
    func event(source: SourceID, time: Timestamp, receivedAt: Timestamp, tape: ReplayTape) -> MarketEvent {
        let symbol = tape.symbols[Int(self.symbol)]
        switch kind {
        case .quote:
            return .quote(
                Quote(
                    symbol: symbol, source: source, bid: Self.optional(v0), bidSize: Self.optional(v1), ask: Self.optional(v2),
                    askSize: Self.optional(v3), last: Self.optional(v4),
                    exchangeTime: time, receivedAt: receivedAt, previousClose: Self.optional(v5),
                    dayVolume: Self.optional(v6)))
        case .trade:
            let id: String? = extra >= 0 && Int(extra) < tape.tradeIDs.count ? tape.tradeIDs[Int(extra)] : nil
            return .trade(
                Trade(
                    symbol: symbol, source: source, price: v0, size: v1, exchangeTime: time, receivedAt: receivedAt,
                    tradeID: id))
        case .bar:
            return .bar(
                Bar(
                    symbol: symbol, source: source, timeframe: timeframe ?? .oneMinute, start: time, open: v0, high: v1,
                    low: v2, close: v3, volume: v4, vwap: Self.optional(v5), tradeCount: extra >= 0 ? Int(extra) : nil))
        }
    }

    /// The price a last-trade quote shows: a trade's price, a bar's close (quotes are used as they are).
    var lastPrice: Double {
        switch kind {
        case .quote: v4.isNaN ? (v0 + v2) / 2 : v4
        case .trade: v0
        case .bar: v3
        }
    }

    private static func optional(_ value: Double) -> Double? { value.isNaN ? nil : value }
}
