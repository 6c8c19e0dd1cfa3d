/// One value from a source: what flows through validation, state and storage.
public enum MarketEvent: Sendable, Hashable, Codable {
    case quote(Quote)
    case trade(Trade)
    case bar(Bar)

    public var symbol: Symbol {
        switch self {
        case .quote(let q): q.symbol
        case .trade(let t): t.symbol
        case .bar(let b): b.symbol
        }
    }

    public var source: SourceID {
        switch self {
        case .quote(let q): q.source
        case .trade(let t): t.source
        case .bar(let b): b.source
        }
    }

    /// The value's own time: exchange time for quotes and trades, start for bars.
    public var time: Timestamp {
        switch self {
        case .quote(let q): q.exchangeTime
        case .trade(let t): t.exchangeTime
        case .bar(let b): b.start
        }
    }

    public var kind: Kind {
        switch self {
        case .quote: .quote
        case .trade: .trade
        case .bar: .bar
        }
    }

    public enum Kind: String, Sendable, Hashable, Codable { case quote, trade, bar }
}
