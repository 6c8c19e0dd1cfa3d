/// The parts of a value that rules test first, read from it once by the
/// validator: reading a property of a `MarketEvent` copies its whole payload,
/// so rules check these and look inside the event only when they may fire.
package struct ValueFacts: Sendable, Hashable {
    package var kind: MarketEvent.Kind
    package var assetClass: AssetClass
    /// Bars only.
    package var timeframe: Timeframe?
    /// A quote's or trade's exchange time, a bar's start.
    package var time: Timestamp
    /// The price the rolling rules follow: a bar's close, a quote's mid, a trade's price.
    package var price: Double
    /// A bar's volume; nil for quotes and trades.
    package var volume: Double?
    /// When a quote or trade was received; a bar's start.
    package var receivedAt: Timestamp
    /// False when every price is positive and finite and every size finite (`bad-price` passes).
    package var mayHaveBadPrice = true
    /// False when no size or volume is negative (`negative-volume` passes).
    package var mayHaveNegativeAmount = true
    /// False unless a quote's bid is above its ask (`crossed-quote` passes).
    package var mayBeCrossed = true

    package init(_ event: MarketEvent) {
        self = Self.read(event).facts
    }

    package init(
        kind: MarketEvent.Kind, assetClass: AssetClass, timeframe: Timeframe? = nil, time: Timestamp, price: Double,
        volume: Double? = nil, receivedAt: Timestamp? = nil
    ) {
        (self.kind, self.assetClass, self.timeframe, self.time, self.price) = (kind, assetClass, timeframe, time, price)
        (self.volume, self.receivedAt) = (volume, receivedAt ?? time)
    }

    /// The facts, symbol and source of `event`, in one pass over it.
    static func read(_ event: MarketEvent) -> (facts: ValueFacts, symbol: Symbol, source: SourceID) {
        switch event {
        case .quote(let q):
            var facts = ValueFacts(
                kind: .quote, assetClass: q.symbol.assetClass, time: q.exchangeTime, price: q.level.value,
                receivedAt: q.receivedAt)
            facts.mayHaveBadPrice = !q.hasCleanPrices
            facts.mayHaveNegativeAmount = q.hasNegativeAmount
            facts.mayBeCrossed = q.isCrossed
            return (facts, q.symbol, q.source)
        case .trade(let t):
            var facts = ValueFacts(
                kind: .trade, assetClass: t.symbol.assetClass, time: t.exchangeTime, price: t.price, receivedAt: t.receivedAt)
            facts.mayHaveBadPrice = !t.hasCleanPrices
            facts.mayHaveNegativeAmount = t.hasNegativeAmount
            facts.mayBeCrossed = false
            return (facts, t.symbol, t.source)
        case .bar(let b):
            var facts = ValueFacts(
                kind: .bar, assetClass: b.symbol.assetClass, timeframe: b.timeframe, time: b.start, price: b.close,
                volume: b.volume)
            facts.mayHaveBadPrice = !b.hasCleanPrices
            facts.mayHaveNegativeAmount = b.hasNegativeAmount
            facts.mayBeCrossed = false
            return (facts, b.symbol, b.source)
        }
    }

    /// An intraday bar (shorter than a day).
    var isIntradayBar: Bool { timeframe.map { $0 < .oneDay } ?? false }
}
