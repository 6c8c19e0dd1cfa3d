extension Quote {
    /// A quote from a provider that reports only a last price (Finnhub, Alpha Vantage, a trade
    /// off a stream): no bid, no ask, no sizes (`isLastTrade`); `price` is the last trade.
    package init(
        lastTrade symbol: Symbol, source: SourceID, price: Double, exchangeTime: Timestamp, receivedAt: Timestamp,
        previousClose: Double? = nil, dayVolume: Double? = nil
    ) {
        self.init(
            symbol: symbol, source: source, bid: nil, bidSize: nil, ask: nil, askSize: nil, last: price,
            exchangeTime: exchangeTime, receivedAt: receivedAt, previousClose: previousClose, dayVolume: dayVolume)
    }
}
