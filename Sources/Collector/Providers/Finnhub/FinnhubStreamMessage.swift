/// One Finnhub WebSocket frame (`provider-formats.md` §5.4: a single object typed by
/// `type`), mapped to ticktop values. Other types are kept as `unknown`, not dropped.
package enum FinnhubStreamMessage: Sendable, Hashable {
    /// `{"type":"trade","data":[{"s":"AAPL","p":170.42,"t":1709653327318,"v":100,"c":["1"]}]}`.
    case trades([Trade])
    case ping
    /// `{"type":"error","msg":"Subscribing to too many symbols"}`; `msg` may be missing.
    case error(message: String)
    /// A frame of another `type`.
    case unknown(type: String)

    /// The market values a frame carries, for the ingest pipeline.
    package var events: [MarketEvent] {
        guard case .trades(let trades) = self else { return [] }
        return trades.map { .trade($0) }
    }
}
