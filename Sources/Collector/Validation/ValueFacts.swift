/// The parts of a value that rules test first, read from it once by the
/// validator: reading a property of a `MarketEvent` copies its whole payload,
/// so rules check these and look inside the event only when they may fire.
public struct ValueFacts: Sendable, Hashable {
    public var kind: MarketEvent.Kind
    public var assetClass: AssetClass
    /// Bars only.
    public var timeframe: Timeframe?
    /// A quote's or trade's exchange time, a bar's start.
    public var time: Timestamp
    /// The price the rolling rules follow: a bar's close, a quote's mid, a trade's price.
    public var price: Double
    /// A bar's volume; nil for quotes and trades.
    public var volume: Double?

    public init(_ event: MarketEvent) {
        switch event {
        case .quote(let q):
            self.init(kind: .quote, assetClass: q.symbol.assetClass, timeframe: nil, time: q.exchangeTime, price: q.mid, volume: nil)
        case .trade(let t):
            self.init(kind: .trade, assetClass: t.symbol.assetClass, timeframe: nil, time: t.exchangeTime, price: t.price, volume: nil)
        case .bar(let b):
            self.init(kind: .bar, assetClass: b.symbol.assetClass, timeframe: b.timeframe, time: b.start, price: b.close, volume: b.volume)
        }
    }

    public init(kind: MarketEvent.Kind, assetClass: AssetClass, timeframe: Timeframe?, time: Timestamp, price: Double, volume: Double?) {
        (self.kind, self.assetClass, self.timeframe, self.time, self.price, self.volume) = (kind, assetClass, timeframe, time, price, volume)
    }

    /// An intraday bar (shorter than a day).
    var isIntradayBar: Bool { timeframe.map { $0 < .oneDay } ?? false }
}
