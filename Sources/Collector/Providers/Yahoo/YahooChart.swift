/// What one Yahoo chart request (or several, for a long 1-minute range) returned for a symbol:
/// the raw bars plus what `Bar` has no room for, the adjusted closes and the corporate events.
package struct YahooChart: Sendable, Hashable {
    package var symbol: Symbol
    package var timeframe: Timeframe
    /// Unadjusted OHLCV bars in the requested range, oldest first.
    package var bars: [Bar]
    /// Split- and dividend-adjusted close by bar start (daily and longer bars only; Yahoo
    /// sends none intraday, and none is kept for 4-hour bars built from hourly ones).
    package var adjustedCloses: [Timestamp: Double]
    /// Dividends Yahoo reported for the requested period, oldest first.
    package var dividends: [YahooDividend]
    /// Splits Yahoo reported for the requested period, oldest first.
    package var splits: [YahooSplit]
    /// The exchange's time zone as Yahoo names it (`meta.exchangeTimezoneName`).
    package var exchangeTimeZone: String?

    package init(
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
package struct YahooDividend: Sendable, Hashable {
    package var exDate: Timestamp
    package var amount: Double
    package var currency: String?

    package init(exDate: Timestamp, amount: Double, currency: String? = nil) {
        self.exDate = exDate
        self.amount = amount
        self.currency = currency
    }
}

/// A split of `numerator` new shares for `denominator` old ones (4:1 is 4 and 1).
package struct YahooSplit: Sendable, Hashable {
    package var exDate: Timestamp
    package var numerator: Double
    package var denominator: Double

    package init(exDate: Timestamp, numerator: Double, denominator: Double) {
        self.exDate = exDate
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Shares after per share before.
    package var ratio: Double { numerator / denominator }
}
