/// Turning Alpha Vantage's wire values into ticktop's model, and choosing requests.
enum AlphaVantageMapping {
    /// A mapping failure: the source turns it into a `ProviderError` of `kind`.
    struct Problem: Error, Equatable {
        var kind: ProviderError.Kind
        var message: String
    }

    /// The `interval` of `TIME_SERIES_INTRADAY` for a timeframe it serves directly.
    static func interval(for timeframe: Timeframe) -> String? {
        switch timeframe {
        case .oneMinute: "1min"
        case .fiveMinutes: "5min"
        case .fifteenMinutes: "15min"
        case .thirtyMinutes: "30min"
        case .oneHour: "60min"
        case .fourHours, .oneDay, .oneWeek, .oneMonth: nil
        }
    }

    /// Bars from one series whose start lies in `range`, oldest first.
    /// Daily keys (`2024-03-05`) become the UTC midnight of that date; intraday keys
    /// (`2024-03-05 19:55:00`, New York wall time without offset) the exact instant.
    static func bars(
        _ series: [String: AlphaVantageBarWire], seriesKey: String, daily: Bool, symbol: Symbol, source: SourceID,
        timeframe: Timeframe, in range: ClosedRange<Timestamp>
    ) throws(Problem) -> [Bar] {
        var bars: [Bar] = []
        for (key, wire) in series {
            let parsed = daily ? Timestamp(rfc3339: key) : Timestamp(newYorkLocal: key)
            guard let start = parsed else {
                throw Problem(
                    kind: .formatChanged,
                    message:
                        "the response changed shape: unreadable time '\(key)' in \(seriesKey) (expected a time from \(Timestamp.supportedRangeText))"
                )
            }
            guard range.contains(start) else { continue }
            bars.append(
                Bar(
                    symbol: symbol, source: source, timeframe: timeframe, start: start,
                    open: wire.open.value, high: wire.high.value, low: wire.low.value, close: wire.close.value,
                    volume: wire.volume.value))
        }
        return bars.sorted { $0.start < $1.start }
    }

    /// A last-price quote from `GLOBAL_QUOTE`.
    ///
    /// The answer has a trading date but no time. For a past day the exchange time is that
    /// day's 16:00 New York close; for today it is the receive time (the price is current
    /// as far as the provider says, and nothing finer is known).
    static func quote(
        _ wire: AlphaVantageGlobalQuoteWire, symbol: Symbol, source: SourceID, receivedAt: Timestamp
    ) throws(Problem) -> Quote {
        if wire.isEmpty { throw Problem(kind: .notFound, message: "unknown symbol (the Global Quote is empty)") }
        guard let price = wire.price?.value else {
            throw Problem(kind: .formatChanged, message: "the response changed shape: missing key '05. price' in Global Quote")
        }
        guard price > 0 else { throw Problem(kind: .notFound, message: "unknown symbol (price 0)") }
        guard let dayText = wire.latestTradingDay else {
            throw Problem(
                kind: .formatChanged, message: "the response changed shape: missing key '07. latest trading day' in Global Quote")
        }
        guard let day = Timestamp(rfc3339: dayText), dayText.count == 10 else {
            throw Problem(
                kind: .formatChanged, message: "the response changed shape: unreadable date '\(dayText)' in Global Quote")
        }
        return Quote(
            lastTrade: symbol, source: source, price: price,
            exchangeTime: exchangeTime(tradingDay: day, receivedAt: receivedAt), receivedAt: receivedAt,
            previousClose: wire.previousClose.map(\.value).flatMap { $0 > 0 ? $0 : nil },
            dayVolume: wire.volume?.value)
    }

    /// 16:00 New York on `tradingDay` (a UTC midnight) when that day is over, else `receivedAt`.
    static func exchangeTime(tradingDay: Timestamp, receivedAt: Timestamp) -> Timestamp {
        guard tradingDay < receivedAt.newYorkTradingDay else { return receivedAt }
        let text = tradingDay.utcDateText
        return Timestamp(newYorkLocal: "\(text) 16:00") ?? receivedAt
    }
}
