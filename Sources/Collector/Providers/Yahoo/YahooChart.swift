/// What one Yahoo chart request (or several, for a long 1-minute range) returned for a symbol:
/// the raw bars plus what `Bar` has no room for, the adjusted closes and the corporate events.
public struct YahooChart: Sendable, Hashable {
    public var symbol: Symbol
    public var timeframe: Timeframe
    /// Unadjusted OHLCV bars in the requested range, oldest first.
    public var bars: [Bar]
    /// Split- and dividend-adjusted close by bar start (daily and longer bars only; Yahoo
    /// sends none intraday, and none is kept for 4-hour bars built from hourly ones).
    public var adjustedCloses: [Timestamp: Double]
    /// Dividends Yahoo reported for the requested period, oldest first.
    public var dividends: [YahooDividend]
    /// Splits Yahoo reported for the requested period, oldest first.
    public var splits: [YahooSplit]
    /// The exchange's time zone as Yahoo names it (`meta.exchangeTimezoneName`).
    public var exchangeTimeZone: String?

    public init(
        symbol: Symbol, timeframe: Timeframe, bars: [Bar] = [], adjustedCloses: [Timestamp: Double] = [:],
        dividends: [YahooDividend] = [], splits: [YahooSplit] = [], exchangeTimeZone: String? = nil
    ) {
        self.symbol = symbol
        self.timeframe = timeframe
        self.bars = bars
        self.adjustedCloses = adjustedCloses
        self.dividends = dividends
        self.splits = splits
        self.exchangeTimeZone = exchangeTimeZone
    }
}

/// A cash dividend. `exDate` is the UTC midnight of the exchange-local date, as daily bars are stamped.
public struct YahooDividend: Sendable, Hashable {
    public var exDate: Timestamp
    public var amount: Double
    public var currency: String?

    public init(exDate: Timestamp, amount: Double, currency: String? = nil) {
        self.exDate = exDate
        self.amount = amount
        self.currency = currency
    }
}

/// A split of `numerator` new shares for `denominator` old ones (4:1 is 4 and 1).
public struct YahooSplit: Sendable, Hashable {
    public var exDate: Timestamp
    public var numerator: Double
    public var denominator: Double

    public init(exDate: Timestamp, numerator: Double, denominator: Double) {
        self.exDate = exDate
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Shares after per share before.
    public var ratio: Double { numerator / denominator }
}
