import Foundation
import Logging

/// Polygon.io, now Massive (`provider-formats.md` §4): aggregates for bars (following
/// `next_url`), last trade + last NBBO for quotes, one symbol per request set.
///
/// The key goes in `Authorization: Bearer <key>`, so pages named by `next_url` (which carry
/// no key) need nothing re-attached. Every ticktop timeframe maps to a Polygon one.
///
/// A request the key's plan does not include (`NOT_AUTHORIZED`, or HTTP 403) is remembered with
/// Polygon's reason in the store (`RefusalMemory`): not asked again for 24 h, on any start.
package struct PolygonSource: MarketDataSource {
    package let id: SourceID
    package var kind: String { "polygon" }
    package var capabilities: SourceCapabilities { [.historyBars, .latestQuotes] }
    package var quoteSymbolsPerRequest: Int { 1 }
    package var historyBarsPerRequest: Int { 50_000 }
    package var rateLimiter: RateLimiter? { client.limiter }

    let client: ProviderClient
    let key: String?
    let cache = PolygonQuoteCache()
    /// Request shapes this key's plan refused, kept in the store.
    let refusals: RefusalMemory
    /// A guard against a `next_url` chain that never ends.
    let maximumPages: Int

    package init(
        configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials,
        maximumPages: Int = 1000
    ) {
        id = configuration.id
        // A throttle inside an answer pauses the provider before the answer is handed back.
        self.client = client.recognisingThrottles(PolygonMapping.throttleNote(in:))
        key = credentials.key
        self.maximumPages = maximumPages
        refusals = RefusalMemory(client: self.client, credentials: credentials)
    }

    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        let ticker = PolygonMapping.ticker(for: symbol)
        let span = PolygonMapping.span(of: timeframe)
        let window = PolygonMapping.window(range, timeframe: timeframe)
        let path = "/v2/aggs/ticker/\(ticker)/range/\(span.multiplier)/\(span.timespan)/\(window.from)/\(window.to)"
        let query = [
            URLQueryItem(name: "adjusted", value: "true"), URLQueryItem(name: "sort", value: "asc"),
            URLQueryItem(name: "limit", value: "50000")
        ]
        // A plan refuses a kind of history (an asset class, a timeframe, a span of years): that window.
        let shape = "/v2/aggs \(symbol.assetClass.rawValue) \(span.multiplier)/\(span.timespan) \(window.from)..\(window.to)"
        var (page, response) = try await refusals.guarding(shape, client: client, endpoint: path, symbol: symbol) {
            let response = try await client.get(path, query: query, headers: authorization, symbol: symbol, endpoint: path)
            return (try await decode(PolygonAggregatesResponse.self, from: response, endpoint: path, symbol: symbol), response)
        }
        var endpoint = path
        var byStart: [Timestamp: Bar] = [:]
        var followed: Set<String> = []
        while true {
            for wire in page.results ?? [] {
                let bar = try PolygonMapping.bar(wire, symbol: symbol, source: id, timeframe: timeframe) {
                    client.error(
                        .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status, message: $0,
                        body: response.body)
                }
                if range.contains(bar.start), byStart[bar.start] == nil { byStart[bar.start] = bar }
            }
            guard let next = page.nextURL, !next.isEmpty else { break }
            guard let url = PolygonMapping.rebase(next, onto: client.baseURL) else {
                throw client.error(
                    .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
                    message: "the response changed shape: unreadable next_url", body: response.body)
            }
            guard followed.insert(url).inserted, followed.count < maximumPages else {
                client.logger.warning(
                    "stopped following next_url (repeated or too many pages)",
                    metadata: ["source": "\(id)", "symbol": "\(symbol)", "pages": "\(followed.count)"])
                break
            }
            endpoint = PolygonMapping.path(of: url)
            // A hand-over or a shutdown stops the request here: the pages answered are returned.
            guard
                let next = try await RateLimiter.followingPage({ [endpoint] in
                    try await client.get(url: url, headers: authorization, symbol: symbol, endpoint: endpoint)
                })
            else { break }
            response = next
            page = try await decode(PolygonAggregatesResponse.self, from: response, endpoint: endpoint, symbol: symbol)
        }
        return byStart.values.sorted { $0.start < $1.start }
    }

    // MARK: - Requests

    /// `Authorization: Bearer <key>` (ProviderClient masks the header in every log line).
    var authorization: [HTTPHeader] {
        key.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? []
    }

    /// `GET path` with the key header; an error inside a 200 becomes a `ProviderError`. Unless
    /// `shape` (the endpoint, without the ticker) was refused by the plan; a refusal is remembered.
    func get<T: Decodable & Sendable>(
        _ type: T.Type, _ path: String, shape: String, query: [URLQueryItem] = [], symbol: Symbol
    ) async throws -> (T, HTTPResponse) {
        try await refusals.guarding(shape, client: client, endpoint: path, symbol: symbol) {
            let response = try await client.get(path, query: query, headers: authorization, symbol: symbol, endpoint: path)
            return (try await decode(type, from: response, endpoint: path, symbol: symbol), response)
        }
    }

    /// Reads `status` first: `ERROR` (text under `error`), `NOT_AUTHORIZED` and `NOT_FOUND`
    /// (text under `message`) are errors even with HTTP 200; `OK` and `DELAYED` are data.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, endpoint: String, symbol: Symbol)
        async throws -> T
    {
        let status = try client.decode(PolygonStatusWire.self, from: response, endpoint: endpoint, symbol: symbol)
        let said = status.said.map { ": \($0)" } ?? ""
        func failure(_ kind: ProviderError.Kind, _ message: String) -> ProviderError {
            client.error(
                kind, endpoint: endpoint, symbol: symbol, status: response.status, message: message + said,
                body: response.body)
        }
        switch status.status?.uppercased() {
        case "ERROR":
            let text = (status.said ?? "").lowercased()
            if text.contains("api key") { throw failure(.unauthorized, "the key was refused") }
            if PolygonMapping.isThrottle(status) {
                // `send` paused the provider already (`PolygonMapping.throttleNote`); this names the pause.
                let pause = await client.throttled(for: nil)
                throw failure(.rateLimited(retryAfter: pause), "rate limit exceeded; \(client.pausedText(pause))")
            }
            throw failure(.badRequest, "the request was rejected")
        case "NOT_AUTHORIZED":
            throw failure(.notEntitled, "not permitted (key or plan)")
        case "NOT_FOUND":
            throw failure(.notFound, "unknown symbol")
        default:
            return try client.decode(type, from: response, endpoint: endpoint, symbol: symbol)
        }
    }
}
