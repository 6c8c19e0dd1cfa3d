/// One value from a source: what flows through validation, state and storage.
public enum MarketEvent: Sendable, Hashable, Codable {
    case quote(Quote)
    case trade(Trade)
    case bar(Bar)

    package var symbol: Symbol {
        switch self {
        case .quote(let q): q.symbol
        case .trade(let t): t.symbol
        case .bar(let b): b.symbol
        }
    }

    package var source: SourceID {
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

    public enum Kind: String, Sendable, Hashable, Codable, CodingKey, CaseIterable {
        case quote, trade, bar

        /// 0, 1 or 2: for tables kept per kind.
        package var index: Int {
            switch self {
            case .quote: 0
            case .trade: 1
            case .bar: 2
            }
        }
    }
}

extension MarketEvent {
    /// Encoded as one key naming the kind, e.g. `{"quote": {...}}`; this is how
    /// quarantined values are stored with their anomalies.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        guard let kind = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected exactly one of quote, trade, bar"))
        }
        switch kind {
        case .quote: self = .quote(try container.decode(Quote.self, forKey: .quote))
        case .trade: self = .trade(try container.decode(Trade.self, forKey: .trade))
        case .bar: self = .bar(try container.decode(Bar.self, forKey: .bar))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .quote(let quote): try container.encode(quote, forKey: .quote)
        case .trade(let trade): try container.encode(trade, forKey: .trade)
        case .bar(let bar): try container.encode(bar, forKey: .bar)
        }
    }
}

extension Array<MarketEvent> {
    /// How many of the values are quotes (to size a table of quotes before filling it).
    package var quoteCount: Int {
        var count = 0
        for event in self { if case .quote = event { count += 1 } }
        return count
    }
}
