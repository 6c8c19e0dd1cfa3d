/// One event of a Polygon (Massive) stocks stream frame (`provider-formats.md` §4.4), mapped
/// to ticktop values. Other events (`A` per-second aggregates, `LULD`, `NOI`, ...) are kept
/// as `unknown`, not dropped.
package enum PolygonStreamMessage: Sendable, Hashable {
    /// `{"ev":"status","status":"auth_success","message":"authenticated"}`; `message` may be missing.
    case status(status: String, message: String)
    case trade(Trade)
    case quote(Quote)
    /// A per-minute aggregate (`AM`), starting at its `s`.
    case bar(Bar)
    /// An event of another type `ev`.
    case unknown(event: String)

    /// The market value a data event carries, for the ingest pipeline.
    package var event: MarketEvent? {
        switch self {
        case .trade(let trade): .trade(trade)
        case .quote(let quote): .quote(quote)
        case .bar(let bar): .bar(bar)
        case .status, .unknown: nil
        }
    }
}
