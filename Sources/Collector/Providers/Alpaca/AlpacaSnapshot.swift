/// What Alpaca knows about one symbol right now (`/snapshots`), mapped to ticktop's model
/// and stamped with the source and receive time. Any part may be missing: a new listing has
/// no previous day, a quiet symbol no minute bar. A zero or one-sided quote and a trade at a
/// price of zero are left out rather than shown as prices.
package struct AlpacaSnapshot: Sendable, Hashable {
    package var symbol: Symbol
    package var latestTrade: Trade?
    /// The latest two-sided quote, bid and ask as sent (no `last`, close or volume).
    package var latestQuote: Quote?
    package var minuteBar: Bar?
    /// The current (or last) session's daily bar, stamped with its New York trading day.
    package var dailyBar: Bar?
    /// The session before `dailyBar`.
    package var previousDailyBar: Bar?

    package init(
        symbol: Symbol, latestTrade: Trade? = nil, latestQuote: Quote? = nil, minuteBar: Bar? = nil,
        dailyBar: Bar? = nil, previousDailyBar: Bar? = nil
    ) {
        self.symbol = symbol
        self.latestTrade = latestTrade
        self.latestQuote = latestQuote
        self.minuteBar = minuteBar
        self.dailyBar = dailyBar
        self.previousDailyBar = previousDailyBar
    }

    /// The quote ticktop shows: bid and ask from the latest quote, `last` from the latest
    /// trade, `previousClose` from the previous daily bar and `dayVolume` from the daily bar;
    /// its exchange time is the older of quote and trade (a value is as old as its oldest part).
    /// Without a usable quote it is built from the last trade alone; nil when there is neither.
    package var quote: Quote? {
        let previousClose = previousDailyBar?.close
        let dayVolume = dailyBar?.volume
        if var quote = latestQuote {
            quote.last = latestTrade?.price
            if let trade = latestTrade { quote.exchangeTime = min(quote.exchangeTime, trade.exchangeTime) }
            quote.previousClose = previousClose
            quote.dayVolume = dayVolume
            return quote
        }
        guard let trade = latestTrade else { return nil }
        return Quote(
            lastTrade: symbol, source: trade.source, price: trade.price, exchangeTime: trade.exchangeTime,
            receivedAt: trade.receivedAt, previousClose: previousClose, dayVolume: dayVolume)
    }
}
