extension Quote {
    /// A quote from a provider that reports only a last price (Yahoo, Finnhub, Alpha Vantage):
    /// bid and ask are set to the last price with zero sizes, so the quote is locked, never
    /// crossed, and `price` is the last trade.
    public init(
        lastTrade symbol: Symbol, source: SourceID, price: Double, exchangeTime: Timestamp, receivedAt: Timestamp,
        previousClose: Double? = nil, dayVolume: Double? = nil
    ) {
        self.init(
            symbol: symbol, source: source, bid: price, bidSize: 0, ask: price, askSize: 0, last: price,
            exchangeTime: exchangeTime, receivedAt: receivedAt, previousClose: previousClose, dayVolume: dayVolume)
    }
}
