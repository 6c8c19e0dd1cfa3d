/// An OHLCV bar of one timeframe starting at `start`, from one source.
public struct Bar: Sendable, Hashable {
    // Ordered so no field leaves padding (106 bytes, not 121: a bar is copied on its way to the
    // state, and a `MarketEvent` is as large as its largest value).
    public var source: SourceID
    public var start: Timestamp
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double
    /// Volume-weighted average price, when known.
    @CompactOptionalDouble package var vwap: Double?
    /// Number of trades in the bar, when known.
    package var tradeCount: Int?
    package var symbol: Symbol
    public var timeframe: Timeframe

    package init(
        symbol: Symbol, source: SourceID, timeframe: Timeframe, start: Timestamp,
        open: Double, high: Double, low: Double, close: Double, volume: Double,
        vwap: Double? = nil, tradeCount: Int? = nil
    ) {
        self.symbol = symbol
        self.source = source
        self.timeframe = timeframe
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.vwap = vwap
        self.tradeCount = tradeCount
    }
}
