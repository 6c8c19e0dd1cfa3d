/// Historical bars: single-symbol stock bars, multi-symbol stock and crypto bars, paged with
/// `next_page_token`, deduplicated by start and returned oldest first.
extension AlpacaSource {
    /// Bars of `timeframe` for many symbols at once (backfill): one paged request per
    /// market and batch of `quoteSymbolsPerRequest` symbols. Every stock and crypto symbol
    /// gets an entry (empty when the range holds no bar); indices, FX pairs and symbols
    /// Alpaca calls invalid are absent.
    package func historyBars(for symbols: [Symbol], timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Symbol: [Bar]]
    {
        var result: [Symbol: [Bar]] = [:]
        for (market, batch) in Self.batches(of: symbols) {
            let bars = try await dropInvalidSymbols(batch) { batch in
                try await multiSymbolBars(for: batch, market: market, timeframe: timeframe, in: range)
            }
            result.merge(bars ?? [:]) { _, new in new }
        }
        return result
    }

    /// `GET /v2/stocks/{symbol}/bars`, every page.
    func stockBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [Bar] {
        let path = AlpacaMarket.stockBarsPath(for: symbol)
        let mapping = AlpacaMapping(client: client, endpoint: path, receivedAt: client.timeSource.now())
        var collected: [Timestamp: Bar] = [:]
        try await paging(
            AlpacaWire.SymbolBarsPage.self, path: path, query: barQuery(.stocks, timeframe: timeframe, range: range),
            symbol: symbol
        ) { page in
            for (index, wire) in (page.bars ?? []).enumerated() {
                let bar = try mapping.bar(wire, symbol: symbol, timeframe: timeframe, at: "bars[\(index)]")
                if range.contains(bar.start), collected[bar.start] == nil { collected[bar.start] = bar }
            }
        }
        return collected.values.sorted { $0.start < $1.start }
    }

    /// `GET /v2/stocks/bars` or `/v1beta3/crypto/us/bars` for `symbols` (one market), every
    /// page. The page limit counts bars across all symbols, so one symbol's bars may be
    /// spread over several pages.
    func multiSymbolBars(
        for symbols: [Symbol], market: AlpacaMarket, timeframe: Timeframe, in range: ClosedRange<Timestamp>
    ) async throws -> [Symbol: [Bar]] {
        let path = market.barsPath
        let mapping = AlpacaMapping(client: client, endpoint: path, receivedAt: client.timeSource.now())
        let spellings = symbols.map(AlpacaMarket.spelling(of:))
        let bySpelling = Dictionary(zip(spellings, symbols), uniquingKeysWith: { first, _ in first })
        var collected: [Symbol: [Timestamp: Bar]] = Dictionary(symbols.map { ($0, [:]) }, uniquingKeysWith: { a, _ in a })
        let query = [("symbols", spellings.joined(separator: ","))] + barQuery(market, timeframe: timeframe, range: range)
        try await paging(
            AlpacaWire.BarsPage.self, path: path, query: query, symbol: symbols.count == 1 ? symbols.first : nil,
            batch: symbols
        ) { page in
            for (name, wires) in page.bars ?? [:] {
                guard let symbol = bySpelling[name] ?? bySpelling[name.uppercased()] else { continue }
                for (index, wire) in wires.enumerated() {
                    let bar = try mapping.bar(wire, symbol: symbol, timeframe: timeframe, at: "bars.\(name)[\(index)]")
                    if range.contains(bar.start), collected[symbol]?[bar.start] == nil {
                        collected[symbol, default: [:]][bar.start] = bar
                    }
                }
            }
        }
        return collected.mapValues { $0.values.sorted { $0.start < $1.start } }
    }

    /// `timeframe`, `start`, `end`, `limit`, then `adjustment` and `feed` for stocks, then `sort`.
    func barQuery(_ market: AlpacaMarket, timeframe: Timeframe, range: ClosedRange<Timestamp>)
        -> [(name: String, value: String)]
    {
        let window = Self.requestWindow(for: timeframe, range: range)
        var query: [(name: String, value: String)] = [
            ("timeframe", Self.alpacaTimeframe(timeframe)),
            ("start", window.lowerBound.rfc3339Seconds), ("end", window.upperBound.rfc3339Seconds),
            ("limit", String(Self.pageLimit))
        ]
        if market == .stocks { query += [("adjustment", adjustment.rawValue), ("feed", feed)] }
        query.append(("sort", "asc"))
        return query
    }

    /// Alpaca's name for a timeframe; it has all of ticktop's, so nothing is aggregated here.
    static func alpacaTimeframe(_ timeframe: Timeframe) -> String {
        switch timeframe {
        case .oneMinute: "1Min"
        case .fiveMinutes: "5Min"
        case .fifteenMinutes: "15Min"
        case .thirtyMinutes: "30Min"
        case .oneHour: "1Hour"
        case .fourHours: "4Hour"
        case .oneDay: "1Day"
        case .oneWeek: "1Week"
        case .oneMonth: "1Month"
        }
    }

    /// The `start`/`end` to ask for, in whole seconds, covering every bar whose ticktop start
    /// lies in `range`. Daily and longer bars are stamped by Alpaca at midnight New York, hours
    /// after the UTC midnight ticktop uses, so `end` reaches one day further; bars outside
    /// `range` are dropped after mapping.
    static func requestWindow(for timeframe: Timeframe, range: ClosedRange<Timestamp>) -> ClosedRange<Timestamp> {
        let second: Int64 = 1_000_000_000
        let lower = range.lowerBound.nanoseconds
        let upper = range.upperBound.nanoseconds
        let start = Timestamp(nanoseconds: lower - ((lower % second) + second) % second)
        var end = Timestamp(nanoseconds: upper + (second - ((upper % second) + second) % second) % second)
        if timeframe >= .oneDay { end = end + .seconds(86_400) }
        return start...end
    }
}
