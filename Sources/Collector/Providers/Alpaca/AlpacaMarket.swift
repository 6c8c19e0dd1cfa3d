/// Which Alpaca API serves a symbol: stocks (`/v2/stocks`, with a feed) or crypto
/// (`/v1beta3/crypto/us`, no feed, always multi-symbol). Indices and FX pairs have none.
enum AlpacaMarket: Sendable, Hashable, CaseIterable {
    case stocks
    case crypto

    init?(_ symbol: Symbol) {
        switch symbol.assetClass {
        case .equity: self = .stocks
        case .crypto: self = .crypto
        case .index, .fx: return nil
        }
    }

    /// The part of the source this market is, as shown when it fails alone (`stocks`, `crypto`).
    var name: String {
        switch self {
        case .stocks: "stocks"
        case .crypto: "crypto"
        }
    }

    /// Alpaca's spelling: `AAPL`, `BRK.B` as they are; crypto `BTC-USD` becomes `BTC/USD`.
    static func spelling(of symbol: Symbol) -> String {
        guard symbol.assetClass == .crypto else { return symbol.rawValue }
        return symbol.rawValue.split(separator: "-", maxSplits: 1).joined(separator: "/")
    }

    /// Multi-symbol historical bars.
    var barsPath: String {
        switch self {
        case .stocks: "/v2/stocks/bars"
        case .crypto: "/v1beta3/crypto/us/bars"
        }
    }

    /// Multi-symbol snapshots (latest trade, latest quote, minute, daily and previous daily bar).
    var snapshotsPath: String {
        switch self {
        case .stocks: "/v2/stocks/snapshots"
        case .crypto: "/v1beta3/crypto/us/snapshots"
        }
    }

    /// Multi-symbol latest trades.
    var latestTradesPath: String {
        switch self {
        case .stocks: "/v2/stocks/trades/latest"
        case .crypto: "/v1beta3/crypto/us/latest/trades"
        }
    }

    /// Single-symbol stock bars, `/v2/stocks/{symbol}/bars` (crypto has no single-symbol form).
    static func stockBarsPath(for symbol: Symbol) -> String {
        "/v2/stocks/\(AlpacaQuery.escape(spelling(of: symbol)))/bars"
    }
}
