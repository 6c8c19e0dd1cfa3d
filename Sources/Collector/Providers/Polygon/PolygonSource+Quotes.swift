import Foundation
import Logging

/// Latest quotes, built for the free plan's 5 requests per minute: per symbol and poll, the
/// last trade and the last NBBO (2 requests), plus the previous close once per session of the
/// last trade (cached; the session by `PreviousCloseRule`, which then judges the close like any
/// provider's previous-close field). When the key may not read the NBBO, that is remembered (in the store, see
/// `RefusalMemory`) and later quotes cost one request (the last trade alone).
extension PolygonSource {
    /// With several symbols, an unknown one is left out (and logged); with one it fails as
    /// `notFound` naming the symbol.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        var quotes: [Quote] = []
        for symbol in symbols {
            do {
                quotes.append(try await quote(for: symbol))
            } catch let error as ProviderError where error.isSymbolSpecific && symbols.count > 1 {
                client.logger.warning("unknown symbol left out", metadata: ["source": "\(id)", "symbol": "\(symbol)"])
            }
        }
        return quotes
    }

    private func quote(for symbol: Symbol) async throws -> Quote {
        guard symbol.assetClass == .equity else {
            throw client.error(
                .notFound, endpoint: "/v2/last/trade", symbol: symbol,
                message: "the last trade and NBBO endpoints cover US stocks only")
        }
        let ticker = PolygonMapping.ticker(for: symbol)
        let path = "/v2/last/trade/\(ticker)"
        let (last, response) = try await get(PolygonLastTradeResponse.self, path, shape: "/v2/last/trade", symbol: symbol)
        guard let trade = last.results, trade.p > 0 else {
            throw client.error(
                .notFound, endpoint: path, symbol: symbol, status: response.status,
                message: "unknown symbol (no last trade)", body: response.body)
        }
        let nbbo = try await lastNBBO(ticker: ticker, symbol: symbol)
        var quote = try PolygonMapping.quote(
            trade: trade, nbbo: nbbo, symbol: symbol, source: id, receivedAt: client.timeSource.now(), previousClose: nil
        ) {
            client.error(
                .formatChanged, endpoint: path, symbol: symbol, status: response.status, message: $0, body: response.body)
        }
        // The session of the quote as the one rule for previous closes sees it (by its exchange time).
        let session = PreviousCloseRule().session(of: symbol.assetClass, at: quote.exchangeTime)
        quote.previousClose = await previousClose(ticker: ticker, symbol: symbol, session: session)
        return quote
    }

    /// The last NBBO, or nil when the key may not read it or there is none for the symbol.
    private func lastNBBO(ticker: String, symbol: Symbol) async throws -> PolygonNBBOWire? {
        do {
            // A refused NBBO is remembered (`refusals`): later quotes cost one request, the last trade.
            return try await get(PolygonNBBOResponse.self, "/v2/last/nbbo/\(ticker)", shape: "/v2/last/nbbo", symbol: symbol).0
                .results
        } catch let error as ProviderError where error.kind == .notEntitled || error.kind == .notFound {
            if error.kind == .notEntitled, await cache.refuseNBBO() {
                client.logger.warning(
                    "the key may not read the last NBBO; quotes carry the last trade only",
                    metadata: ["source": "\(id)", "error": "\(error)"])
            }
            return nil
        }
    }

    /// The previous session's close, fetched once per session and symbol. Best effort:
    /// a failure leaves it out of the quote (and is retried next poll only if it may pass).
    private func previousClose(ticker: String, symbol: Symbol, session: CivilDate) async -> Double? {
        if let cached = await cache.previousClose(for: symbol, session: session) { return cached }
        do {
            let (previous, _) = try await get(
                PolygonAggregatesResponse.self, "/v2/aggs/ticker/\(ticker)/prev", shape: "/v2/aggs/prev",
                query: [URLQueryItem(name: "adjusted", value: "true")], symbol: symbol)
            let close = previous.results?.first.map(\.c).flatMap { $0 > 0 ? $0 : nil }
            await cache.store(previousClose: close, for: symbol, session: session)
            return close
        } catch {
            client.logger.warning(
                "previous close unavailable", metadata: ["source": "\(id)", "symbol": "\(symbol)", "error": "\(error)"])
            if let failure = error as? ProviderError, !failure.isTransient {
                await cache.store(previousClose: nil, for: symbol, session: session)
            }
            return nil
        }
    }
}
