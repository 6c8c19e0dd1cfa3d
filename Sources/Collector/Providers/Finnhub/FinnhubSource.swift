import Foundation

/// Finnhub REST (`provider-formats.md` §5): `/quote` for the latest price (one symbol per
/// request) and `/stock/candle` for history (premium: free keys get 403, `notEntitled`; the
/// refusal is remembered in the store, so candles are not asked again for 24 h, see `RefusalMemory`).
///
/// The key travels in the `X-Finnhub-Token` header, never in a URL. Symbols are sent as
/// ticktop spells them (`AAPL`, `BRK.B`); Finnhub's crypto and FX symbols carry an exchange
/// prefix (`BINANCE:BTCUSDT`) that ticktop symbols cannot express, so those come back unknown.
package struct FinnhubSource: MarketDataSource {
    package let id: SourceID
    package var kind: String { "finnhub" }
    package var capabilities: SourceCapabilities { [.historyBars, .latestQuotes] }
    /// `/quote` takes one symbol.
    package var quoteSymbolsPerRequest: Int { 1 }
    package var rateLimiter: RateLimiter? { client.limiter }

    package let client: ProviderClient
    private let headers: [HTTPHeader]
    private let refusals: RefusalMemory

    static let quotePath = "/quote"
    static let candlePath = "/stock/candle"

    package init(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) {
        id = configuration.id
        // A throttle inside an answer pauses the provider before the answer is handed back.
        self.client = client.recognisingThrottles(FinnhubMapping.throttleNote(in:))
        headers =
            [HTTPHeader("Accept", "application/json")]
            + (credentials.key.map { [HTTPHeader("X-Finnhub-Token", $0)] } ?? [])
        refusals = RefusalMemory(client: client, credentials: credentials)
    }

    /// One request per symbol. An unknown symbol is `ProviderError` `.notFound` naming it when it is
    /// the only one asked for; among several, unknown ones are left out (and the first unknown is
    /// thrown only if none was known). Any other failure ends the poll at once.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        var quotes: [Quote] = []
        var firstUnknown: ProviderError?
        for symbol in symbols {
            do {
                quotes.append(try await quote(for: symbol))
            } catch let error as ProviderError where error.isSymbolSpecific {
                firstUnknown = firstUnknown ?? error
            }
        }
        if quotes.isEmpty, let firstUnknown { throw firstUnknown }
        return quotes
    }

    private func quote(for symbol: Symbol) async throws -> Quote {
        let endpoint = Self.quotePath
        let response = try await client.get(
            endpoint, query: [URLQueryItem(name: "symbol", value: symbol.rawValue)], headers: headers, symbol: symbol)
        let wire = try client.decode(FinnhubQuoteWire.self, from: response, endpoint: endpoint, symbol: symbol)
        if let said = wire.error {
            throw await failure(said, endpoint: endpoint, symbol: symbol, response: response)
        }
        let mapped = try FinnhubMapping.quote(wire, symbol: symbol, source: id, receivedAt: client.timeSource.now()) {
            client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status, message: $0, body: response.body)
        }
        guard let quote = mapped else {
            throw client.error(
                .notFound, endpoint: endpoint, symbol: symbol, status: response.status,
                message: "unknown symbol: Finnhub answered with an all-zero quote", body: response.body)
        }
        return quote
    }

    /// Candles whose start lies in `range`, oldest first, in one request (Finnhub has no paging).
    /// `no_data` is an empty result; 4-hour bars are built from hourly candles.
    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        let resolution = FinnhubResolution(timeframe)
        let window = resolution.window(covering: range)
        let endpoint = Self.candlePath
        let query = [
            URLQueryItem(name: "symbol", value: symbol.rawValue),
            URLQueryItem(name: "resolution", value: resolution.name),
            URLQueryItem(name: "from", value: String(window.from)),
            URLQueryItem(name: "to", value: String(window.to))
        ]
        let response = try await refusals.guarding(endpoint, client: client, endpoint: endpoint, symbol: symbol) {
            try await client.get(endpoint, query: query, headers: headers, symbol: symbol)
        }
        let wire = try client.decode(FinnhubCandlesWire.self, from: response, endpoint: endpoint, symbol: symbol)
        if let said = wire.error {
            throw await failure(said, endpoint: endpoint, symbol: symbol, response: response)
        }
        switch wire.s {
        case "no_data": return []
        case "ok": break
        case let status?:
            throw client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
                message: "the response changed shape: unexpected status 's': '\(status)'", body: response.body)
        case nil:
            throw client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
                message: "the response changed shape: missing key 's'", body: response.body)
        }
        let mapped = try FinnhubMapping.bars(wire, symbol: symbol, resolution: resolution, source: id) { message in
            client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status, message: message, body: response.body
            )
        }
        var byStart: [Timestamp: Bar] = [:]
        for bar in mapped { byStart[bar.start] = bar }
        var bars = byStart.values.sorted { $0.start < $1.start }
        if resolution.aggregates { bars = BarAggregator.aggregate(bars, into: timeframe) }
        return bars.filter { range.contains($0.start) }
    }

    /// An `{"error": "..."}` that came with a 2xx status (a throttle has paused the provider
    /// already, in `ProviderClient.send`: this names the pause).
    private func failure(_ said: String, endpoint: String, symbol: Symbol, response: HTTPResponse) async -> ProviderError {
        let kind = FinnhubMapping.kind(ofMessage: said)
        var message = "Finnhub reported an error"
        if case .rateLimited = kind {
            message = "rate limit exceeded; \(client.pausedText(await client.throttled(for: nil)))"
        }
        return client.error(
            kind, endpoint: endpoint, symbol: symbol, status: response.status, message: "\(message): \(said)",
            body: response.body)
    }
}
