import Foundation
import Logging

/// Alpha Vantage over HTTP (`provider-formats.md` §3): bars from `TIME_SERIES_DAILY` and
/// `TIME_SERIES_INTRADAY`, the latest price from `GLOBAL_QUOTE`, one symbol per request.
///
/// The key goes in the `apikey` query parameter (the only place Alpha Vantage reads it;
/// `ProviderClient` masks it in every log line and message). Every failure and throttle
/// arrives as an HTTP-200 note, classified by `AlphaVantageNote`.
///
/// Timeframes: 1/5/15/30 min and 1 hour are served directly; 4 hours is rolled up from
/// 60-minute bars, weeks and months from daily bars (`BarAggregator`), so their buckets
/// match every other source's.
package struct AlphaVantageSource: MarketDataSource {
    package let id: SourceID
    package var kind: String { "alphavantage" }
    package var capabilities: SourceCapabilities { [.historyBars, .latestQuotes] }
    package var quoteSymbolsPerRequest: Int { 1 }
    package var rateLimiter: RateLimiter? { client.limiter }

    let client: ProviderClient
    private let key: String?
    /// How long to hold all requests after the "1 request per second" note.
    private let burstPause: Duration
    /// Shapes this key's plan refused (`outputsize=full`, a function, a symbol), kept in the store.
    private let refusals: RefusalMemory

    static let dailyFunction = "TIME_SERIES_DAILY"
    static let intradayFunction = "TIME_SERIES_INTRADAY"

    package init(
        configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials,
        burstPause: Duration = .seconds(2)
    ) {
        id = configuration.id
        let timeSource = client.timeSource
        // A throttle note pauses the provider as soon as the answer arrives (see `ProviderClient.send`).
        self.client = client.recognisingThrottles { response in
            // A note is a few hundred bytes; a series is not worth parsing twice.
            guard response.body.count < 4096,
                let notes = try? JSONDecoder().decode(AlphaVantageNotes.self, from: Data(response.body)),
                let wait = AlphaVantageNote(notes)?.pause(now: timeSource.now(), burst: burstPause)
            else { return nil }
            return ProviderClient.ThrottleNote(wait: wait == .zero ? nil : wait)
        }
        key = credentials.key
        self.burstPause = burstPause
        refusals = RefusalMemory(client: client, credentials: credentials)
    }

    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        switch timeframe {
        case .oneDay:
            return try await dailyBars(symbol, in: range)
        case .oneWeek, .oneMonth:
            let start = timeframe.bucketStart(containing: range.lowerBound)
            let daily = try await dailyBars(symbol, in: start...max(start, range.upperBound))
            return BarAggregator.aggregate(daily, into: timeframe).filter { range.contains($0.start) }
        case .fourHours:
            let start = timeframe.bucketStart(containing: range.lowerBound)
            let hourly = try await intradayBars(symbol, timeframe: .oneHour, in: start...max(start, range.upperBound))
            return BarAggregator.aggregate(hourly, into: timeframe).filter { range.contains($0.start) }
        case .oneMinute, .fiveMinutes, .fifteenMinutes, .thirtyMinutes, .oneHour:
            return try await intradayBars(symbol, timeframe: timeframe, in: range)
        }
    }

    /// One `GLOBAL_QUOTE` request per symbol. With several symbols, an unknown one is
    /// left out (and logged); with one, it fails as `notFound` naming the symbol.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        var quotes: [Quote] = []
        for symbol in symbols {
            do {
                quotes.append(try await quote(for: symbol))
            } catch let error as ProviderError where error.kind == .notFound && symbols.count > 1 {
                client.logger.warning(
                    "unknown symbol left out", metadata: ["source": "\(id)", "symbol": "\(symbol)"])
            }
        }
        return quotes
    }

    // MARK: - Bars

    private func dailyBars(_ symbol: Symbol, in range: ClosedRange<Timestamp>) async throws -> [Bar] {
        let seriesKey = "Time Series (Daily)"
        let plan = AlphaVantagePlan.daily(from: range.lowerBound, now: client.timeSource.now())
        let series = try await fetchSeries(
            plan, function: Self.dailyFunction, interval: nil, seriesKey: seriesKey, symbol: symbol)
        return try bars(series, seriesKey: seriesKey, daily: true, symbol: symbol, timeframe: .oneDay, in: range)
    }

    private func intradayBars(_ symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        guard let interval = AlphaVantageMapping.interval(for: timeframe) else {
            throw ProviderError.unsupported(source: id, capability: "\(timeframe.rawValue) bars")
        }
        let seriesKey = "Time Series (\(interval))"
        let minutes = Int(timeframe.nominalDuration.nanosecondsValue / 60_000_000_000)
        let plan = AlphaVantagePlan.intraday(range, minutes: minutes, now: client.timeSource.now())
        let series = try await fetchSeries(
            plan, function: Self.intradayFunction, interval: interval, seriesKey: seriesKey, symbol: symbol)
        return try bars(series, seriesKey: seriesKey, daily: false, symbol: symbol, timeframe: timeframe, in: range)
    }

    private func bars(
        _ series: [String: AlphaVantageBarWire], seriesKey: String, daily: Bool, symbol: Symbol,
        timeframe: Timeframe, in range: ClosedRange<Timestamp>
    ) throws -> [Bar] {
        do throws(AlphaVantageMapping.Problem) {
            return try AlphaVantageMapping.bars(
                series, seriesKey: seriesKey, daily: daily, symbol: symbol, source: id, timeframe: timeframe, in: range)
        } catch {
            throw client.error(
                error.kind, endpoint: "/query (\(daily ? Self.dailyFunction : Self.intradayFunction))",
                symbol: symbol, message: error.message)
        }
    }

    /// Runs a plan, merging the series. When `full` turns out to be premium for this key,
    /// falls back once to one `compact` request (logged); the refusal is kept in the store, so
    /// later calls and later runs go straight to `compact` (until it expires, see `RefusalMemory`).
    private func fetchSeries(
        _ plan: [AlphaVantageSeriesRequest], function: String, interval: String?, seriesKey: String, symbol: Symbol
    ) async throws -> [String: AlphaVantageBarWire] {
        if plan.contains(where: \.isFull),
            await refusals.refusal(of: Self.fullShape(function), now: client.timeSource.now()) != nil
        {
            client.logger.debug(
                "outputsize=full is premium for this key; asking for compact",
                metadata: ["source": "\(id)", "function": "\(function)", "symbol": "\(symbol)"])
            return try await fetchSeries(.compact, function: function, interval: interval, seriesKey: seriesKey, symbol: symbol)
        }
        var merged: [String: AlphaVantageBarWire] = [:]
        for request in plan {
            do {
                let part = try await fetchSeries(
                    request, function: function, interval: interval, seriesKey: seriesKey, symbol: symbol)
                merged.merge(part) { _, newer in newer }
            } catch let error as ProviderError where error.kind == .notEntitled && request.isFull {
                client.logger.warning(
                    "outputsize=full is a premium feature for this key; falling back to compact (the latest 100 points), older bars are left out",
                    metadata: ["source": "\(id)", "function": "\(function)", "symbol": "\(symbol)"])
                return try await fetchSeries(
                    .compact, function: function, interval: interval, seriesKey: seriesKey, symbol: symbol)
            }
        }
        return merged
    }

    private func fetchSeries(
        _ request: AlphaVantageSeriesRequest, function: String, interval: String?, seriesKey: String, symbol: Symbol
    ) async throws -> [String: AlphaVantageBarWire] {
        var items = [URLQueryItem(name: "function", value: function), URLQueryItem(name: "symbol", value: symbol.rawValue)]
        if let interval { items.append(URLQueryItem(name: "interval", value: interval)) }
        items.append(URLQueryItem(name: "outputsize", value: request.outputSize))
        if let month = request.month { items.append(URLQueryItem(name: "month", value: month)) }
        let (response, endpoint) = try await query(function, items, symbol: symbol)
        let payload = try client.decode(AlphaVantageSeriesPayload.self, from: response, endpoint: endpoint, symbol: symbol)
        if let series = payload.series[seriesKey] { return series }
        let missing = (payload.hasMetaData ? [] : ["'Meta Data'"]) + ["'\(seriesKey)'"]
        throw client.error(
            .formatChanged, endpoint: endpoint, symbol: symbol, status: response.status,
            message: "the response changed shape: missing \(missing.joined(separator: " and "))", body: response.body)
    }

    // MARK: - Quotes

    private func quote(for symbol: Symbol) async throws -> Quote {
        let items = [URLQueryItem(name: "function", value: "GLOBAL_QUOTE"), URLQueryItem(name: "symbol", value: symbol.rawValue)]
        let (response, endpoint) = try await query("GLOBAL_QUOTE", items, symbol: symbol)
        let receivedAt = client.timeSource.now()
        let wire = try client.decode(AlphaVantageGlobalQuoteResponse.self, from: response, endpoint: endpoint, symbol: symbol)
        do throws(AlphaVantageMapping.Problem) {
            return try AlphaVantageMapping.quote(wire.quote, symbol: symbol, source: id, receivedAt: receivedAt)
        } catch {
            throw client.error(
                error.kind, endpoint: endpoint, symbol: symbol, status: response.status,
                message: error.message, body: response.body)
        }
    }

    // MARK: - Requests

    /// `GET /query` with `datatype=json` and the key; a note inside the 200 becomes an error.
    /// A shape refused before (premium for this plan, or rejected for this symbol) is not sent
    /// again while the refusal holds: it fails at once with the provider's remembered reason.
    private func query(_ function: String, _ items: [URLQueryItem], symbol: Symbol) async throws
        -> (HTTPResponse, String)
    {
        let endpoint = "/query (\(function))"
        let full = items.contains { $0.name == "outputsize" && $0.value == "full" }
        let planShape = full ? Self.fullShape(function) : function
        let symbolShape = "\(function) \(symbol)"
        let now = client.timeSource.now()
        let shapes: [(String, ProviderError.Kind)] = [(planShape, .notEntitled), (symbolShape, .badRequest)]
        for (shape, kind) in shapes {
            guard let refused = await refusals.refusal(of: shape, now: now) else { continue }
            throw refusals.error(for: refused, kind: kind, client: client, endpoint: endpoint, symbol: symbol)
        }
        var items = items + [URLQueryItem(name: "datatype", value: "json")]
        if let key { items.append(URLQueryItem(name: "apikey", value: key)) }
        let response = try await client.get("/query", query: items, symbol: symbol, endpoint: endpoint)
        let notes = try client.decode(AlphaVantageNotes.self, from: response, endpoint: endpoint, symbol: symbol)
        if let note = AlphaVantageNote(notes) {
            let said = ProviderMessage.excerpt(note.text, limit: 200, masking: client.redactor)
            switch note {
            case .premium: await refusals.remember(planShape, reason: "premium: \(said)", now: now)
            case .invalidCall: await refusals.remember(symbolShape, reason: said, now: now)
            default: break
            }
            throw await error(for: note, response: response, endpoint: endpoint, symbol: symbol)
        }
        return (response, endpoint)
    }

    /// The shape under which a refused `outputsize=full` of `function` is remembered.
    static func fullShape(_ function: String) -> String { "\(function) outputsize=full" }

    /// The error a note means; a throttle note first pauses the shared limiter.
    private func error(for note: AlphaVantageNote, response: HTTPResponse, endpoint: String, symbol: Symbol) async
        -> ProviderError
    {
        // Scrub before shortening, so a key cut in half by the shortening is still masked.
        let said = ProviderMessage.excerpt(note.text, masking: client.redactor)
        func make(_ kind: ProviderError.Kind, _ message: String) -> ProviderError {
            client.error(
                kind, endpoint: endpoint, symbol: symbol, status: response.status,
                message: "\(message): \(said)", body: response.body)
        }
        let now = client.timeSource.now()
        switch note {
        case .invalidKey: return make(.unauthorized, "the key was refused")
        case .invalidCall: return make(.badRequest, "the request was rejected (unknown symbol or parameter)")
        case .premium: return make(.notEntitled, "not included in this key's plan")
        case .burst, .perMinute, .daily, .other:
            let wait = note.pause(now: now, burst: burstPause)
            let pause = await client.throttled(for: wait == .zero ? nil : wait)
            let what =
                switch note {
                case .daily: "the daily request quota is used up"
                case .burst: "too many requests per second"
                case .perMinute: "too many requests per minute"
                default: "throttled"
                }
            return make(.rateLimited(retryAfter: pause), "\(what); \(client.pausedText(pause))")
        }
    }
}
