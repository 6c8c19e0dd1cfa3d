/// Turns Alpaca wire objects into ticktop values stamped with the source and the receive
/// time. A time that is not RFC 3339 is a format change naming where it was found.
struct AlpacaMapping {
    let client: ProviderClient
    let endpoint: String
    let receivedAt: Timestamp

    var source: SourceID { client.id }

    /// Parses an RFC 3339 time with 0 to 9 fractional digits, exactly.
    func time(_ text: String, at path: String, symbol: Symbol?) throws -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else {
            throw client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol,
                message: "the response changed shape: unreadable time '\(ProviderMessage.shorten(text, limit: 40))' at \(path)")
        }
        return time
    }

    func bar(_ wire: AlpacaWire.Bar, symbol: Symbol, timeframe: Timeframe, at path: String) throws -> Bar {
        let stamp = try time(wire.t, at: "\(path).t", symbol: symbol)
        return Bar(
            symbol: symbol, source: source, timeframe: timeframe, start: Self.barStart(stamp, timeframe: timeframe),
            open: wire.o, high: wire.h, low: wire.l, close: wire.c, volume: wire.v, vwap: wire.vw,
            tradeCount: wire.n)
    }

    /// The trade, or nil when its price is not positive (nothing traded).
    func trade(_ wire: AlpacaWire.Trade, symbol: Symbol, at path: String) throws -> Trade? {
        guard wire.p > 0 else { return nil }
        return Trade(
            symbol: symbol, source: source, price: wire.p, size: wire.s ?? 0,
            exchangeTime: try time(wire.t, at: "\(path).t", symbol: symbol), receivedAt: receivedAt,
            tradeID: wire.i.map { String($0) })
    }

    /// The quote, or nil unless both sides have a price: an empty side (IEX outside hours,
    /// an unknown symbol) would otherwise turn into a price of zero or half the bid.
    func quote(_ wire: AlpacaWire.Quote, symbol: Symbol, at path: String) throws -> Quote? {
        guard wire.bidPrice > 0, wire.askPrice > 0 else { return nil }
        return Quote(
            symbol: symbol, source: source, bid: wire.bidPrice, bidSize: wire.bidSize, ask: wire.askPrice,
            askSize: wire.askSize, exchangeTime: try time(wire.t, at: "\(path).t", symbol: symbol),
            receivedAt: receivedAt)
    }

    func snapshot(_ wire: AlpacaWire.Snapshot, symbol: Symbol, at path: String) throws -> AlpacaSnapshot {
        AlpacaSnapshot(
            symbol: symbol,
            latestTrade: try wire.latestTrade.flatMap { try trade($0, symbol: symbol, at: "\(path).latestTrade") },
            latestQuote: try wire.latestQuote.flatMap { try quote($0, symbol: symbol, at: "\(path).latestQuote") },
            minuteBar: try wire.minuteBar.map {
                try bar($0, symbol: symbol, timeframe: .oneMinute, at: "\(path).minuteBar")
            },
            dailyBar: try wire.dailyBar.map { try bar($0, symbol: symbol, timeframe: .oneDay, at: "\(path).dailyBar") },
            previousDailyBar: try wire.prevDailyBar.map {
                try bar($0, symbol: symbol, timeframe: .oneDay, at: "\(path).prevDailyBar")
            })
    }

    /// Intraday bars start at the instant Alpaca gives. Daily, weekly and monthly bars are
    /// stamped midnight New York (`T05:00:00Z` in winter, `T04:00:00Z` in summer) and become
    /// the UTC midnight of that New York date. A stamp already at UTC midnight is taken as
    /// that date (no New York midnight falls on one), in case crypto bars are ever sent so.
    static func barStart(_ stamp: Timestamp, timeframe: Timeframe) -> Timestamp {
        guard timeframe >= .oneDay else { return stamp }
        return stamp.startOfUTCDay == stamp ? stamp : stamp.newYorkTradingDay
    }
}
