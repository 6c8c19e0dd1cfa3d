/// Alpaca Market Data over REST (provider-formats.md §1): stocks through `/v2/stocks`
/// with the configured feed, crypto through `/v1beta3/crypto/us`. The key and secret go
/// in the `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers, never in a URL.
///
/// - History: `/bars` with `limit=10000`, `sort=asc`, following `next_page_token`.
/// - Latest quotes: one `/snapshots` request per market gives bid/ask, the last trade,
///   the previous close and the day's volume together.
/// Indices and FX pairs are not on Alpaca: they are left out of multi-symbol answers and
/// reported as unknown (`notFound`) when asked for alone.
package struct AlpacaSource: MarketDataSource, CustomStringConvertible {
    package let id: SourceID
    package var kind: String { "alpaca" }
    package var capabilities: SourceCapabilities { [.historyBars, .latestQuotes] }

    /// Symbols per snapshot (and multi-symbol bars or trades) request. Alpaca documents no
    /// cap; 100 keeps the URL near 1 KB (8 KB is where servers start refusing) and a
    /// snapshot answer near 100 KB, while a 300-symbol watchlist still costs only three
    /// requests per poll (36 a minute at a 5 s poll, well inside the free 200 a minute).
    package var quoteSymbolsPerRequest: Int { Self.symbolsPerRequest }
    package var historyBarsPerRequest: Int { Self.pageLimit }
    static let symbolsPerRequest = 100

    package var rateLimiter: RateLimiter? { client.limiter }

    /// The stock feed, `iex` (free) or `sip` (paid); crypto has none.
    package let feed: String
    /// Corporate-action adjustment of historical stock bars.
    package let adjustment: AlpacaAdjustment

    let client: ProviderClient
    private let credentials: ProviderCredentials

    /// Bars per page, Alpaca's maximum.
    static let pageLimit = 10_000

    package init(
        configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials,
        adjustment: AlpacaAdjustment = .raw
    ) {
        id = configuration.id
        feed = configuration.feed ?? SourceKind.defaultAlpacaFeed
        self.adjustment = adjustment
        self.client = client
        self.credentials = credentials
    }

    /// Names the source and feed only (the client holds the secrets to mask).
    package var description: String { "Alpaca source \(id.label) (feed \(feed), adjustment \(adjustment.rawValue))" }

    /// The auth headers (crypto works without them, stocks do not).
    var headers: [HTTPHeader] {
        var headers: [HTTPHeader] = []
        if let key = credentials.key { headers.append(HTTPHeader("APCA-API-KEY-ID", key)) }
        if let secret = credentials.secret { headers.append(HTTPHeader("APCA-API-SECRET-KEY", secret)) }
        return headers
    }

    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        switch AlpacaMarket(symbol) {
        case .stocks?:
            return try await stockBars(for: symbol, timeframe: timeframe, in: range)
        case .crypto?:
            let bars = try await multiSymbolBars(for: [symbol], market: .crypto, timeframe: timeframe, in: range)
            return bars[symbol] ?? []
        case nil:
            throw notOnAlpaca(symbol, endpoint: AlpacaMarket.stocks.barsPath)
        }
    }

    /// The latest quote of each symbol Alpaca knows, in the order asked, from one snapshot
    /// request per market (stocks, crypto). Unknown symbols, indices and FX pairs are left out.
    /// A `PartialAnswer` of the quotes that came when one market's request failed.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        let quotes = { (found: [Symbol: AlpacaSnapshot]) in Self.unique(symbols).compactMap { found[$0]?.quote } }
        do {
            return quotes(try await snapshots(for: symbols))
        } catch let partial as PartialAnswer<[Symbol: AlpacaSnapshot]> {
            throw PartialAnswer(values: quotes(partial.values), failures: partial.failures)
        }
    }

    /// Stocks and crypto come from separate APIs that fail apart (a crypto endpoint's 404 leaves
    /// stocks serving); indices and FX pairs, which Alpaca lacks, belong to neither.
    package func part(of symbol: Symbol) -> String? { AlpacaMarket(symbol)?.name }

    /// The error for a symbol no Alpaca API serves.
    func notOnAlpaca(_ symbol: Symbol, endpoint: String) -> ProviderError {
        client.error(
            .notFound, endpoint: endpoint, symbol: symbol,
            message: "unknown symbol: Alpaca has stocks and crypto, not \(symbol.assetClass == .fx ? "FX pairs" : "indices")")
    }

    /// `symbols` without repeats, in their first order.
    static func unique(_ symbols: [Symbol]) -> [Symbol] {
        var seen: Set<Symbol> = []
        return symbols.filter { seen.insert($0).inserted }
    }

    /// The symbols Alpaca serves, grouped by market and cut into request-sized batches.
    static func batches(of symbols: [Symbol]) -> [(market: AlpacaMarket, symbols: [Symbol])] {
        let unique = unique(symbols)
        var result: [(market: AlpacaMarket, symbols: [Symbol])] = []
        for market in AlpacaMarket.allCases {
            let members = unique.filter { AlpacaMarket($0) == market }
            for start in stride(from: 0, to: members.count, by: symbolsPerRequest) {
                result.append((market, Array(members[start..<min(start + symbolsPerRequest, members.count)])))
            }
        }
        return result
    }
}
