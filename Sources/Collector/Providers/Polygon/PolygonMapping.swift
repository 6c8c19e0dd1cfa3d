import Foundation

/// Turning ticktop's requests into Polygon's and Polygon's values into ticktop's model.
enum PolygonMapping {
    /// Polygon's ticker: equities as written (`AAPL`, `BRK.B`), crypto `X:BTCUSD`,
    /// FX `C:EURUSD`, indices `I:SPX` (from `^SPX`).
    static func ticker(for symbol: Symbol) -> String {
        let raw = symbol.rawValue
        switch symbol.assetClass {
        case .equity: return raw
        case .crypto: return "X:" + raw.replacingOccurrences(of: "-", with: "")
        case .fx: return "C:" + raw.dropLast(2)
        case .index: return "I:" + raw.dropFirst()
        }
    }

    /// `multiplier` and `timespan` of the aggregates path; Polygon has every ticktop timeframe.
    static func span(of timeframe: Timeframe) -> (multiplier: Int, timespan: String) {
        switch timeframe {
        case .oneMinute: (1, "minute")
        case .fiveMinutes: (5, "minute")
        case .fifteenMinutes: (15, "minute")
        case .thirtyMinutes: (30, "minute")
        case .oneHour: (1, "hour")
        case .fourHours: (4, "hour")
        case .oneDay: (1, "day")
        case .oneWeek: (1, "week")
        case .oneMonth: (1, "month")
        }
    }

    /// `from` and `to` of the aggregates path. Intraday: Unix milliseconds, exact. Daily and
    /// longer: dates, widened to the whole week or month so the bar holding the start comes back
    /// (a Polygon week may start on Sunday); the caller keeps only starts inside the range.
    static func window(_ range: ClosedRange<Timestamp>, timeframe: Timeframe) -> (from: String, to: String) {
        switch timeframe {
        case .oneDay:
            return (range.lowerBound.utcDateText, range.upperBound.utcDateText)
        case .oneWeek:
            let start = timeframe.bucketStart(containing: range.lowerBound) - .seconds(86_400)
            return (start.utcDateText, range.upperBound.utcDateText)
        case .oneMonth:
            return (timeframe.bucketStart(containing: range.lowerBound).utcDateText, range.upperBound.utcDateText)
        case .oneMinute, .fiveMinutes, .fifteenMinutes, .thirtyMinutes, .oneHour, .fourHours:
            return ("\(range.lowerBound.millisecondsSinceEpoch)", "\(range.upperBound.millisecondsSinceEpoch)")
        }
    }

    /// The start of a bar from Polygon's `t` (Unix ms of the window start).
    ///
    /// Intraday: that instant. Daily: the UTC midnight of the trading date; stock days start at
    /// New York midnight, and a `t` at exactly UTC midnight (crypto, FX) is taken as that UTC date.
    /// Weeks start on Monday (a Sunday start counts for the week after); months on the 1st.
    static func start(of instant: Timestamp, timeframe: Timeframe) -> Timestamp {
        let day = instant == instant.startOfUTCDay ? instant : instant.newYorkTradingDay
        switch timeframe {
        case .oneDay: return day
        case .oneWeek: return timeframe.bucketStart(containing: day + .seconds(86_400))
        case .oneMonth: return timeframe.bucketStart(containing: day)
        case .oneMinute, .fiveMinutes, .fifteenMinutes, .thirtyMinutes, .oneHour, .fourHours: return instant
        }
    }

    /// The bar of one aggregate; a `t` outside `Timestamp.supportedRange` is a format change
    /// (`failure` builds it from a message).
    static func bar(
        _ wire: PolygonAggregateWire, symbol: Symbol, source: SourceID, timeframe: Timeframe,
        failure: (String) -> ProviderError
    ) throws -> Bar {
        guard let instant = Timestamp(checkedMilliseconds: wire.t) else { throw failure(Timestamp.outOfRange("t", wire.t)) }
        return Bar(
            symbol: symbol, source: source, timeframe: timeframe,
            start: start(of: instant, timeframe: timeframe),
            open: wire.o, high: wire.h, low: wire.l, close: wire.c, volume: wire.v, vwap: wire.vw, tradeCount: wire.n)
    }

    /// A quote from the last trade and, when there is a usable one, the last NBBO (a side
    /// Polygon sends as 0 is absent). The exchange time is the earlier of the two SIP times
    /// (nanoseconds, exact): a quote built from parts of different times is as old as its oldest.
    /// A time outside `Timestamp.supportedRange` is a format change (`failure` builds it from a message).
    static func quote(
        trade: PolygonTradeWire, nbbo: PolygonNBBOWire?, symbol: Symbol, source: SourceID, receivedAt: Timestamp,
        previousClose: Double?, failure: (String) -> ProviderError
    ) throws -> Quote {
        guard let tradeTime = Timestamp(checkedNanoseconds: trade.t) else {
            throw failure(Timestamp.outOfRange("results.t", trade.t))
        }
        guard let nbbo, nbbo.bidPrice > 0 || nbbo.askPrice > 0 else {
            return Quote(
                lastTrade: symbol, source: source, price: trade.p, exchangeTime: tradeTime, receivedAt: receivedAt,
                previousClose: previousClose)
        }
        guard let nbboTime = Timestamp(checkedNanoseconds: nbbo.t) else {
            throw failure(Timestamp.outOfRange("results.t", nbbo.t))
        }
        return Quote(
            symbol: symbol, source: source, bid: nbbo.bidPrice > 0 ? nbbo.bidPrice : nil,
            bidSize: nbbo.bidPrice > 0 ? nbbo.bidSize : nil, ask: nbbo.askPrice > 0 ? nbbo.askPrice : nil,
            askSize: nbbo.askPrice > 0 ? nbbo.askSize : nil, last: trade.p,
            exchangeTime: min(tradeTime, nbboTime),
            receivedAt: receivedAt, previousClose: previousClose)
    }

    /// Whether a `status: ERROR` answer is Polygon's throttle ("exceeded the maximum requests per minute").
    static func isThrottle(_ status: PolygonStatusWire) -> Bool {
        guard status.status?.uppercased() == "ERROR" else { return false }
        let text = (status.said ?? "").lowercased()
        return !text.contains("api key") && (text.contains("exceeded") || text.contains("requests per"))
    }

    /// Polygon's throttle inside an answer that is not a 429. Checked by `ProviderClient.send`,
    /// so the pause is in force before the answer is handed back.
    static func throttleNote(in response: HTTPResponse) -> ProviderClient.ThrottleNote? {
        // An error body is a line; a page of aggregates is not worth parsing twice.
        guard response.status != 429, response.body.count < 4096,
            let status = try? JSONDecoder().decode(PolygonStatusWire.self, from: Data(response.body)),
            isThrottle(status)
        else { return nil }
        return ProviderClient.ThrottleNote(wait: nil)
    }

    /// `next_url` on this source's base URL: a relative or foreign-host link keeps only its
    /// path and query, so the key in the header is never sent to another host.
    static func rebase(_ next: String, onto baseURL: String) -> String? {
        if next.hasPrefix(baseURL + "/") { return next }
        if next.hasPrefix("/") { return baseURL + next }
        guard let components = URLComponents(string: next), components.scheme != nil,
            !components.percentEncodedPath.isEmpty
        else { return nil }
        return baseURL + components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
    }

    /// The path of a URL, for error messages (never the query, which may hold a cursor or key).
    static func path(of url: String) -> String {
        URLComponents(string: url)?.path ?? "/v2/aggs"
    }
}
