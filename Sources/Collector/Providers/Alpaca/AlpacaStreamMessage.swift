/// One message of an Alpaca market-data stream frame (`provider-formats.md` §1.6, §1.7),
/// mapped to ticktop values. Types ticktop does not use (`s` statuses, `l` LULD bands,
/// `c` corrections, `x` cancels, `o` order books, ...) are kept as `unknown`, not dropped.
package enum AlpacaStreamMessage: Sendable, Hashable {
    /// `{"T":"success","msg":"connected"}`, then `"authenticated"`.
    case success(message: String)
    /// The full set of subscriptions after a subscribe or unsubscribe.
    case subscription(Subscription)
    /// `{"T":"error","code":406,"msg":"connection limit exceeded"}`; `msg` may be missing.
    case error(code: Int, message: String)
    case trade(Trade)
    case quote(Quote)
    /// A minute bar (`b`), a late-trade-corrected minute bar (`u`) or the running daily bar (`d`).
    case bar(Bar, BarKind)
    /// A message of another type `T`.
    case unknown(type: String)

    package enum BarKind: String, Sendable, Hashable {
        case minute = "b"
        case updated = "u"
        case daily = "d"

        package var timeframe: Timeframe { self == .daily ? .oneDay : .oneMinute }
    }

    /// The channels a stream is subscribed to; symbols as Alpaca spells them (`*` for all).
    package struct Subscription: Sendable, Hashable {
        package var trades: [String]
        package var quotes: [String]
        package var bars: [String]
        package var updatedBars: [String]
        package var dailyBars: [String]
        package var statuses: [String]

        package init(
            trades: [String] = [], quotes: [String] = [], bars: [String] = [], updatedBars: [String] = [],
            dailyBars: [String] = [], statuses: [String] = []
        ) {
            self.trades = trades
            self.quotes = quotes
            self.bars = bars
            self.updatedBars = updatedBars
            self.dailyBars = dailyBars
            self.statuses = statuses
        }
    }

    /// The market value a data message carries, for the ingest pipeline.
    package var event: MarketEvent? {
        switch self {
        case .trade(let trade): .trade(trade)
        case .quote(let quote): .quote(quote)
        case .bar(let bar, _): .bar(bar)
        case .success, .subscription, .error, .unknown: nil
        }
    }
}
