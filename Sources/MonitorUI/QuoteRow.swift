import Collector

/// One symbol's line as shown on the board and in `--once` text: every field
/// already formatted, so renderers only lay it out.
package struct QuoteRow: Sendable, Hashable {
    package var symbol: String
    package var last: String
    package var change: String
    package var changePercent: String
    package var bid: String
    package var ask: String
    package var spread: String
    package var volume: String
    package var source: String
    package var age: String
    package var quality: QualityFlag
    /// Direction of the change since the previous close: -1, 0 or +1.
    package var direction: Int
    /// Why there is no value, when a source said why.
    package var noDataReason: String?

    package init(_ snapshot: SymbolSnapshot, at now: Timestamp) {
        let assetClass = snapshot.symbol.assetClass
        let quote = snapshot.selected
        symbol = snapshot.symbol.rawValue
        last = DisplayFormat.price(quote?.price, assetClass: assetClass)
        change = DisplayFormat.change(snapshot.change, price: quote?.price, assetClass: assetClass)
        changePercent = DisplayFormat.percent(snapshot.changePercent)
        bid = DisplayFormat.price(quote?.bid, assetClass: assetClass)
        ask = DisplayFormat.price(quote?.ask, assetClass: assetClass)
        // A last trade has no book: bid, ask and spread read `-`, never a made-up 0.00.
        spread =
            quote.flatMap { q in
                q.spread.map { DisplayFormat.fixed($0, DisplayFormat.decimals(forPrice: q.price, assetClass: assetClass)) }
            } ?? "-"
        volume = DisplayFormat.volume(snapshot.dayVolume)
        source = quote?.source.label ?? "-"
        age = DisplayFormat.age(snapshot.age(at: now))
        quality = snapshot.quality
        direction = snapshot.change.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 } ?? 0
        noDataReason = snapshot.noDataReason
    }

    /// The short mark shown in the quality column.
    package var qualityMark: String {
        switch quality {
        case .clean: "ok"
        case .stale: "STALE"
        case .closed: "CLOSED"
        case .quarantined: "QUARANTINE"
        case .noData: "NO DATA"
        case .disagree: "DISAGREE"
        }
    }
}
