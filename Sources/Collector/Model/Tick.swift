/// One trade or quote as a source sent it, as the tape (`[store] ticks = true`) records it: the
/// book and last trade of a quote, the price, size and id of a trade, both times in integer
/// nanoseconds. A quote's session figures (previous close, day volume) are not tape.
public struct Tick: Sendable, Hashable {
    package enum Kind: UInt8, Sendable, Hashable {
        case quote = 0
        case trade = 1

        /// The word the exports and replay files use.
        package var name: String { self == .quote ? "quote" : "trade" }
    }

    package var kind: Kind
    package var symbol: Symbol
    package var source: SourceID
    package var exchangeTime: Timestamp
    package var receivedAt: Timestamp
    /// A quote's book; nil for a side the provider did not send, and for a trade.
    package var bid, bidSize, ask, askSize: Double?
    /// A trade's price, or a quote's last trade price when it has one.
    package var price: Double?
    /// A trade's size (nil for a quote).
    package var size: Double?
    /// A trade's id, when the provider sends one.
    package var tradeID: String?

    package init(
        kind: Kind, symbol: Symbol, source: SourceID, exchangeTime: Timestamp, receivedAt: Timestamp,
        bid: Double? = nil, bidSize: Double? = nil, ask: Double? = nil, askSize: Double? = nil,
        price: Double? = nil, size: Double? = nil, tradeID: String? = nil
    ) {
        self.kind = kind
        self.symbol = symbol
        self.source = source
        self.exchangeTime = exchangeTime
        self.receivedAt = receivedAt
        (self.bid, self.bidSize, self.ask, self.askSize) = (bid, bidSize, ask, askSize)
        (self.price, self.size, self.tradeID) = (price, size, tradeID)
    }

    /// The tape's row for a trade or quote; nil for a bar (bars are stored as bars).
    package init?(_ event: MarketEvent) {
        switch event {
        case .quote(let q):
            self.init(
                kind: .quote, symbol: q.symbol, source: q.source, exchangeTime: q.exchangeTime, receivedAt: q.receivedAt,
                bid: q.bid, bidSize: q.bidSize, ask: q.ask, askSize: q.askSize, price: q.last)
        case .trade(let t):
            self.init(
                kind: .trade, symbol: t.symbol, source: t.source, exchangeTime: t.exchangeTime, receivedAt: t.receivedAt,
                price: t.price, size: t.size, tradeID: t.tradeID)
        case .bar:
            return nil
        }
    }

    /// The value again: a quote without its session figures, a trade as it came.
    package var event: MarketEvent {
        switch kind {
        case .quote:
            .quote(
                Quote(
                    symbol: symbol, source: source, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize, last: price,
                    exchangeTime: exchangeTime, receivedAt: receivedAt))
        case .trade:
            .trade(
                Trade(
                    symbol: symbol, source: source, price: price ?? .nan, size: size ?? 0, exchangeTime: exchangeTime,
                    receivedAt: receivedAt, tradeID: tradeID))
        }
    }
}

extension Tick {
    /// The tick as a store keeps it: SQLite stores a NaN as NULL, so every store reads it back absent.
    package var storable: Tick {
        var tick = self
        for path in [\Tick.bid, \.bidSize, \.ask, \.askSize, \.price, \.size] where tick[keyPath: path]?.isNaN == true {
            tick[keyPath: path] = nil
        }
        return tick
    }
}
