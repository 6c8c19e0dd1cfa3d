import Foundation

/// Finnhub's trade stream (provider-formats.md §5.4) as a `StreamProvider`: the key goes in
/// the URL (`?token=`), so the URL is only ever shown redacted; there is no greeting and no
/// auth frame (live once connected); `{"type":"subscribe","symbol":"AAPL"}` per symbol.
/// Serves equities. It sends trades only: each also gives a last-trade quote.
package struct FinnhubStream: StreamProvider, CustomStringConvertible {
    package let id: SourceID
    package let url: String
    package let decoder: any StreamMessageDecoder = FinnhubStreamMessageDecoder()
    package let redactor: Redactor

    /// `baseURL` without the token, e.g. `wss://ws.finnhub.io` (an empty path becomes `/`:
    /// the WebSocket client does not connect to `wss://host?token=`).
    package init(id: SourceID, baseURL: String, key: String) {
        self.id = id
        var base = baseURL
        if let components = URLComponents(string: baseURL), components.path.isEmpty, components.query == nil { base += "/" }
        self.url = base + (base.contains("?") ? "&" : "?") + "token=" + key
        self.redactor = Redactor(secrets: [key])
    }

    package var description: String { "Finnhub stream \(id.label) at \(redactor.redact(url: url))" }
    package var headers: [HTTPHeader] { [] }
    package var isLiveOnConnect: Bool { true }

    package func serves(_ symbol: Symbol) -> Bool { symbol.assetClass == .equity }
    package func authenticationFrame() -> String? { nil }

    /// A last-trade quote (bid = ask = the price, as the `/quote` poll gives).
    package func quote(for trade: Trade) -> Quote? {
        Quote(
            lastTrade: trade.symbol, source: trade.source, price: trade.price, exchangeTime: trade.exchangeTime,
            receivedAt: trade.receivedAt)
    }

    package func subscribeFrames(_ symbols: [Symbol]) -> [String] {
        symbols.map { AlpacaStream.json(["type": "subscribe", "symbol": $0.rawValue]) }
    }

    package func unsubscribeFrames(_ symbols: [Symbol]) -> [String] {
        symbols.map { AlpacaStream.json(["type": "unsubscribe", "symbol": $0.rawValue]) }
    }

    /// Finnhub documents no error codes; its one known error (too many symbols) keeps the connection.
    package func failure(code: Int, message: String) -> StreamFailure {
        StreamFailure("Finnhub stream error: \(redactor.scrub(message))", state: .degraded, action: .keepConnection)
    }
}
