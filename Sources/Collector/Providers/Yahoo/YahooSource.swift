import Foundation
import Logging

/// Yahoo Finance, keyless and unofficial (`provider-formats.md` §2): history from the v8 chart
/// endpoint, latest quotes from the v7 quote endpoint behind a cookie + crumb session.
///
/// Every request carries a desktop browser's `User-Agent` (bare clients are throttled at once).
/// The session is fetched on the first quote poll, reused after that, and fetched anew once
/// when a quote request is refused with 401; the crumb and the cookie never reach an error
/// text or a log line.
package struct YahooSource: MarketDataSource {
    package let id: SourceID
    package var kind: String { "yahoo" }
    package var capabilities: SourceCapabilities { [.historyBars, .latestQuotes] }
    /// The v7 endpoint takes a comma list; 50 symbols keep the URL short.
    package var quoteSymbolsPerRequest: Int { 50 }
    package var rateLimiter: RateLimiter? { client.limiter }

    package let client: ProviderClient
    package let endpoints: YahooEndpoints
    /// Whether intraday bars include the pre- and post-market sessions (`includePrePost`).
    package let includePrePost: Bool
    private let session: YahooSession

    /// A desktop Chrome's `User-Agent`.
    package static let userAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
    static let headers = [HTTPHeader("User-Agent", userAgent), HTTPHeader("Accept", "*/*")]
    static let chartEndpoint = "/v8/finance/chart"

    /// - Parameter endpoints: where the cookie and crumb come from; by default derived from the
    ///   client's base URL (see `YahooEndpoints.init(baseURL:)`).
    package init(
        configuration: SourceConfiguration, client: ProviderClient, endpoints: YahooEndpoints? = nil,
        includePrePost: Bool = false
    ) {
        id = configuration.id
        // A throttle inside an answer pauses the provider before the answer is handed back.
        let client = client.recognisingThrottles(YahooMapping.throttleNote(in:))
        self.client = client
        self.endpoints = endpoints ?? YahooEndpoints(baseURL: client.baseURL)
        self.includePrePost = includePrePost
        session = YahooSession(client: client, endpoints: self.endpoints, headers: Self.headers)
    }

    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        try await chart(for: symbol, timeframe: timeframe, in: range).bars
    }

    /// Bars whose start lies in `range`, oldest first, with the adjusted closes and events Yahoo sent.
    /// 1-minute ranges longer than 7 days take one request per 7 days; 4-hour bars are built from
    /// hourly ones. A bar Yahoo sends twice (the live bar of the day) keeps its latest values.
    package func chart(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws
        -> YahooChart
    {
        let interval = YahooInterval(timeframe)
        var merged = YahooChart(symbol: symbol, timeframe: timeframe)
        var byStart: [Timestamp: Bar] = [:]
        var dividends = Set<YahooDividend>()
        var splits = Set<YahooSplit>()
        for window in interval.windows(covering: range) {
            let part = try await fetchChart(symbol, interval: interval, window: window)
            for bar in part.bars { byStart[bar.start] = bar }
            merged.adjustedCloses.merge(part.adjustedCloses) { $1 }
            dividends.formUnion(part.dividends)
            splits.formUnion(part.splits)
            merged.exchangeTimeZone = part.exchangeTimeZone ?? merged.exchangeTimeZone
        }
        var bars = byStart.values.sorted { $0.start < $1.start }
        if interval.aggregates {
            bars = BarAggregator.aggregate(bars, into: timeframe)
            merged.adjustedCloses = [:]
        }
        merged.bars = bars.filter { range.contains($0.start) }
        merged.adjustedCloses = merged.adjustedCloses.filter { range.contains($0.key) }
        merged.dividends = dividends.sorted { $0.exDate < $1.exDate }
        merged.splits = splits.sorted { $0.exDate < $1.exDate }
        return merged
    }

    private func fetchChart(_ symbol: Symbol, interval: YahooInterval, window: (period1: Int64, period2: Int64))
        async throws -> YahooChart
    {
        let endpoint = Self.chartEndpoint
        let query = [
            URLQueryItem(name: "period1", value: String(window.period1)),
            URLQueryItem(name: "period2", value: String(window.period2)),
            URLQueryItem(name: "interval", value: interval.name),
            URLQueryItem(name: "includePrePost", value: includePrePost ? "true" : "false"),
            URLQueryItem(name: "events", value: "div,splits")
        ]
        let response = try await client.get(
            YahooEndpoints.chartPath + YahooTicker.pathSegment(for: symbol), query: query, headers: Self.headers,
            symbol: symbol, endpoint: endpoint)
        let envelope = try client.decode(YahooChartEnvelope.self, from: response, endpoint: endpoint, symbol: symbol)
        if let error = envelope.chart.error {
            throw await failure(error, endpoint: endpoint, symbol: symbol, response: response)
        }
        guard let results = envelope.chart.result else {
            throw client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
                message: "the response changed shape: 'chart' has neither a result nor an error", body: response.body)
        }
        // An empty result list is Yahoo's "no data".
        guard let result = results.first else { return YahooChart(symbol: symbol, timeframe: interval.fetched) }
        return try YahooMapping.chart(result, symbol: symbol, interval: interval, source: id) { message in
            client.error(
                .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status, message: message,
                body: response.body)
        }
    }

    /// The latest quote of each symbol Yahoo knows, in one request; unknown symbols are absent.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        guard !symbols.isEmpty else { return [] }
        let first = try await session.credentials()
        do {
            return try await quotes(for: symbols, with: first)
        } catch let error as ProviderError where error.kind == .unauthorized {
            await session.invalidate(first)
            client.logger.info(
                "yahoo refused the session; fetching a new cookie and crumb", metadata: ["source": "\(id)"])
            return try await quotes(for: symbols, with: try await session.credentials())
        }
    }

    private func quotes(for symbols: [Symbol], with credentials: YahooCredentials) async throws -> [Quote] {
        var wanted: [String: Symbol] = [:]
        var tickers: [String] = []
        for symbol in symbols {
            let ticker = YahooTicker.ticker(for: symbol)
            guard wanted[ticker.uppercased()] == nil else { continue }
            wanted[ticker.uppercased()] = symbol
            tickers.append(ticker)
        }
        let endpoint = YahooEndpoints.quotePath
        let headers = Self.headers + (credentials.cookie.map { [HTTPHeader("Cookie", $0)] } ?? [])
        let query = [
            URLQueryItem(name: "symbols", value: tickers.joined(separator: ",")),
            URLQueryItem(name: "formatted", value: "false"),
            URLQueryItem(name: "crumb", value: credentials.crumb)
        ]
        do {
            let response = try await client.get(endpoint, query: query, headers: headers, endpoint: endpoint)
            let envelope = try client.decode(YahooQuoteEnvelope.self, from: response, endpoint: endpoint)
            if let error = envelope.quoteResponse?.error ?? envelope.finance?.error {
                throw await failure(error, endpoint: endpoint, symbol: nil, response: response)
            }
            guard let results = envelope.quoteResponse?.result else {
                throw client.error(
                    .formatChanged, endpoint: endpoint, status: response.status,
                    message: "the response changed shape: missing key 'quoteResponse.result'", body: response.body)
            }
            let now = client.timeSource.now()
            var seen = Set<Symbol>()
            return try results.compactMap { wire in
                guard let symbol = wanted[wire.symbol.uppercased()], !seen.contains(symbol) else { return nil }
                let mapped = try YahooMapping.quote(wire, symbol: symbol, source: id, receivedAt: now) {
                    client.error(
                        .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status, message: $0,
                        body: response.body)
                }
                guard let quote = mapped else {
                    client.logger.debug("yahoo sent no usable price", metadata: ["source": "\(id)", "symbol": "\(symbol)"])
                    return nil
                }
                seen.insert(symbol)
                return quote
            }
        } catch var error as ProviderError {
            if error.kind == .unauthorized {
                error.message = error.message.replacingOccurrences(
                    of: "the key was refused", with: "the session cookie and crumb were refused")
            }
            throw error.masking(secrets: credentials.secrets)
        }
    }

    /// A `chart.error` / `finance.error` that came with a 2xx status (a throttle has paused the
    /// provider already, in `ProviderClient.send`: this names the pause).
    private func failure(_ wire: YahooErrorWire, endpoint: String, symbol: Symbol?, response: HTTPResponse) async
        -> ProviderError
    {
        let kind = YahooMapping.kind(ofCode: wire.code)
        var message = "Yahoo reported an error"
        if case .rateLimited = kind {
            message = "rate limit exceeded; \(client.pausedText(await client.throttled(for: nil)))"
        }
        let said = [wire.code, wire.description].compactMap { $0 }.joined(separator: ": ")
        if !said.isEmpty { message += ": \(said)" }
        return client.error(
            kind, endpoint: endpoint, symbol: symbol, status: response.status, message: message, body: response.body)
    }
}
