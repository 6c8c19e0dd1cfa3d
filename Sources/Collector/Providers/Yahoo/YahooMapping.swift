import Foundation

/// Turns Yahoo's wire values into ticktop's model.
enum YahooMapping {
    /// The bars, adjusted closes and events of one chart result.
    ///
    /// Intraday bars start at the instant Yahoo gives. Daily bars, which Yahoo stamps at the
    /// session open in exchange-local time, start at the UTC midnight of the exchange-local date
    /// (`meta.exchangeTimezoneName`, else the fixed `meta.gmtoffset`, else New York); for a US
    /// listing that is exactly `newYorkTradingDay`. Weekly and monthly bars then move to the
    /// Monday or the 1st of their bucket. A bar with any null among its five values is skipped;
    /// a time outside `Timestamp.supportedRange` is a format change.
    static func chart(
        _ result: YahooChartResult, symbol: Symbol, interval: YahooInterval, source: SourceID,
        failure: (String) -> ProviderError
    ) throws -> YahooChart {
        let day = YahooLocalDay(zone: timeZone(of: result.meta))
        var chart = YahooChart(
            symbol: symbol, timeframe: interval.fetched, exchangeTimeZone: result.meta?.exchangeTimezoneName)
        (chart.dividends, chart.splits) = try events(result.events, day: day, failure: failure)
        // No timestamps is Yahoo's "no data" answer, whatever the indicators hold.
        guard let stamps = result.timestamp, !stamps.isEmpty else { return chart }
        let at = "chart.result[0].indicators"
        guard let columns = result.indicators?.quote?.first else {
            throw failure("the response changed shape: missing key 'quote' in \(at)")
        }
        let named = [
            ("open", columns.open), ("high", columns.high), ("low", columns.low),
            ("close", columns.close), ("volume", columns.volume)
        ]
        if let (name, _) = named.first(where: { $0.1 == nil }) {
            throw failure("the response changed shape: missing key '\(name)' in \(at).quote[0]")
        }
        let (open, high, low, close, volume) = (columns.open!, columns.high!, columns.low!, columns.close!, columns.volume!)
        let adjusted = result.indicators?.adjclose?.first?.adjclose ?? []
        for (index, stamp) in stamps.enumerated() {
            guard let stamp, let o = open.element(index), let h = high.element(index), let l = low.element(index),
                let c = close.element(index), let v = volume.element(index)
            else { continue }
            guard let time = Timestamp(checkedSeconds: stamp) else {
                throw failure(Timestamp.outOfRange("chart.result[0].timestamp[\(index)]", stamp))
            }
            let start = interval.isDaily ? interval.fetched.dayBucket(day.start(ofDayContaining: time)) : time
            chart.bars.append(
                Bar(
                    symbol: symbol, source: source, timeframe: interval.fetched, start: start,
                    open: o, high: h, low: l, close: c, volume: v))
            if let adjustedClose = adjusted.element(index) { chart.adjustedCloses[start] = adjustedClose }
        }
        return chart
    }

    /// The latest quote, or nil when Yahoo gave no usable price or time (nothing is invented).
    /// Bid and ask are used when both are positive and not crossed; otherwise the quote carries
    /// the last price only. Sizes are passed on as Yahoo sends them (round lots for US equities [U]).
    /// A time outside `Timestamp.supportedRange` is a format change (`failure` builds it).
    static func quote(
        _ wire: YahooQuoteWire, symbol: Symbol, source: SourceID, receivedAt: Timestamp,
        failure: (String) -> ProviderError
    ) throws -> Quote? {
        guard let price = wire.regularMarketPrice?.value, price > 0,
            let seconds = wire.regularMarketTime?.value, seconds > 0
        else { return nil }
        guard let time = Timestamp(checkedSeconds: seconds) else {
            throw failure(Timestamp.outOfRange("regularMarketTime", seconds))
        }
        let previousClose = (wire.regularMarketPreviousClose?.value).flatMap { $0 > 0 ? $0 : nil }
        let volume = (wire.regularMarketVolume?.value).flatMap { $0 >= 0 ? $0 : nil }
        if let bid = wire.bid?.value, let ask = wire.ask?.value, bid > 0, ask > 0, bid <= ask {
            return Quote(
                symbol: symbol, source: source, bid: bid, bidSize: (wire.bidSize?.value).map { max($0, 0) }, ask: ask,
                askSize: (wire.askSize?.value).map { max($0, 0) }, last: price, exchangeTime: time, receivedAt: receivedAt,
                previousClose: previousClose, dayVolume: volume)
        }
        return Quote(
            lastTrade: symbol, source: source, price: price, exchangeTime: time, receivedAt: receivedAt,
            previousClose: previousClose, dayVolume: volume)
    }

    /// The kind of failure a `chart.error` / `finance.error` code names.
    static func kind(ofCode code: String?) -> ProviderError.Kind {
        switch code?.lowercased() {
        case "not found": .notFound
        case "unauthorized": .unauthorized
        case "forbidden": .notEntitled
        case "too many requests": .rateLimited(retryAfter: nil)
        case "internal server error", "service unavailable", "bad gateway", "gateway timeout": .serverError
        default: .badRequest
        }
    }

    /// Yahoo's throttle inside an answer that is not a 429: an error coded "Too Many Requests"
    /// in a JSON answer, or those words as the whole text (the crumb endpoint). Checked by
    /// `ProviderClient.send`, so the pause is in force before the answer is handed back.
    static func throttleNote(in response: HTTPResponse) -> ProviderClient.ThrottleNote? {
        // A throttle answer is a line or two; a chart is not worth parsing twice.
        guard response.status != 429, response.body.count < 4096 else { return nil }
        let text = response.bodyText.trimmingBlanks()
        if text.hasPrefix("{") {
            let error = try? JSONDecoder().decode(YahooErrorEnvelope.self, from: Data(response.body)).error
            guard case .rateLimited = kind(ofCode: error?.code) else { return nil }
        } else if !text.lowercased().contains("too many requests") {
            return nil
        }
        return ProviderClient.ThrottleNote(wait: nil)
    }

    static func timeZone(of meta: YahooChartMeta?) -> TimeZone {
        if let name = meta?.exchangeTimezoneName, let zone = TimeZone(identifier: name) { return zone }
        if let offset = meta?.gmtoffset, let zone = TimeZone(secondsFromGMT: offset) { return zone }
        return TimeZone(identifier: "America/New_York")!
    }

    private static func events(
        _ events: YahooChartEvents?, day: YahooLocalDay, failure: (String) -> ProviderError
    ) throws -> ([YahooDividend], [YahooSplit]) {
        func exDate(_ seconds: Int64, _ field: String) throws -> Timestamp {
            guard let time = Timestamp(checkedSeconds: seconds) else { throw failure(Timestamp.outOfRange(field, seconds)) }
            return day.start(ofDayContaining: time)
        }
        let dividends = try (events?.dividends ?? [:]).values.compactMap { wire -> YahooDividend? in
            guard let date = wire.date, let amount = wire.amount else { return nil }
            return YahooDividend(exDate: try exDate(date, "events.dividends.date"), amount: amount, currency: wire.currency)
        }
        let splits = try (events?.splits ?? [:]).values.compactMap { wire -> YahooSplit? in
            guard let date = wire.date, let numerator = wire.numerator, let denominator = wire.denominator,
                numerator > 0, denominator > 0
            else { return nil }
            return YahooSplit(
                exDate: try exDate(date, "events.splits.date"), numerator: numerator, denominator: denominator)
        }
        return (dividends.sorted { $0.exDate < $1.exDate }, splits.sorted { $0.exDate < $1.exDate })
    }
}

extension Timeframe {
    /// A daily-or-longer bar's start from its date: weeks on Monday, months on the 1st.
    fileprivate func dayBucket(_ day: Timestamp) -> Timestamp {
        self == .oneDay ? day : bucketStart(containing: day)
    }
}

extension Array {
    /// The element at `index` when it exists and is not null.
    fileprivate func element<Wrapped>(_ index: Int) -> Wrapped? where Element == Wrapped? {
        indices.contains(index) ? self[index] : nil
    }
}
