/// The top of book for one symbol from one source at one moment, exactly as the provider sent
/// it: a side the provider did not send is nil, never filled in from another field.
public struct Quote: Sendable, Hashable {
    public var source: SourceID
    // The optional prices and sizes are stored compactly (8 bytes each, not 16: a quote is
    // copied several times on its way to the state).
    /// Best bid and ask and their sizes; nil when the provider sent none (a last trade only:
    /// Alpha Vantage `GLOBAL_QUOTE`, Finnhub `/quote`, a trade off a stream).
    @CompactOptionalDouble public var bid: Double?
    @CompactOptionalDouble public var bidSize: Double?
    @CompactOptionalDouble public var ask: Double?
    @CompactOptionalDouble public var askSize: Double?
    /// Last trade price, when the source sends one with the quote.
    @CompactOptionalDouble public var last: Double?
    /// The previous session's close, when the source reports it.
    @CompactOptionalDouble package var previousClose: Double?
    /// Volume traded so far in the current session, when the source reports it.
    @CompactOptionalDouble package var dayVolume: Double?
    /// When the exchange (or provider) says the quote was made.
    public var exchangeTime: Timestamp
    /// When ticktop received it; `receivedAt - exchangeTime` is the source's feed delay.
    public var receivedAt: Timestamp
    // Last: its 17 bytes would leave 7 of padding before the next field.
    package var symbol: Symbol

    package init(
        symbol: Symbol, source: SourceID, bid: Double?, bidSize: Double?, ask: Double?, askSize: Double?,
        last: Double? = nil, exchangeTime: Timestamp, receivedAt: Timestamp,
        previousClose: Double? = nil, dayVolume: Double? = nil
    ) {
        self.symbol = symbol
        self.source = source
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
        self.last = last
        self.exchangeTime = exchangeTime
        self.receivedAt = receivedAt
        self.previousClose = previousClose
        self.dayVolume = dayVolume
    }

    /// Midpoint of bid and ask; nil unless both are known. The exact decimal midpoint of the
    /// prices as sent (211.41 and 211.43 give 211.42, not 211.42000000000002). Worked out on each
    /// access: read it once per use, and ask `hasMid` to know only whether there is one.
    package var mid: Double? {
        guard let bid, let ask else { return nil }
        return DecimalArithmetic.midpoint(bid, ask)
    }

    /// Whether the quote has a midpoint (both bid and ask), without working it out.
    var hasMid: Bool { _bid.isPresent && _ask.isPresent }

    /// Ask minus bid; nil unless both are known. The exact decimal difference of the prices as sent.
    public var spread: Double? {
        guard let bid, let ask else { return nil }
        return DecimalArithmetic.difference(ask, bid)
    }

    /// How old the value is at `now`: counted from the provider's own exchange time, not from
    /// receipt (a recorded 2022 trade served today is years old). An exchange time ahead of
    /// `now` (clock skew) counts as age 0.
    public func age(at now: Timestamp) -> Duration {
        max(.zero, now - exchangeTime)
    }

    /// How long after its exchange time the value reached ticktop (0 when the clocks disagree
    /// the other way): a delayed plan's lag, measured.
    public var feedDelay: Duration {
        max(.zero, receivedAt - exchangeTime)
    }

    /// True when the provider sent a last trade and no book (no bid, no ask).
    public var isLastTrade: Bool { !_bid.isPresent && !_ask.isPresent }

    /// The price to show: the last trade when known, else the midpoint (NaN for a quote with
    /// neither, which the `bad-price` rule rejects).
    public var price: Double { last ?? mid ?? .nan }

    /// The level compared across time and sources (rolling rules, day ranges, consensus): the
    /// midpoint, or for a quote without both sides its last trade, named so messages say which.
    package var level: (name: String, value: Double) {
        if let mid { return ("mid", mid) }
        return ("last", last ?? .nan)
    }

    /// The name of `level` ("mid" or "last"), without working out its value.
    var levelName: String { hasMid ? "mid" : "last" }
}
