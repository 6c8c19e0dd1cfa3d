/// The top of book for one symbol from one source at one moment.
public struct Quote: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var source: SourceID
    public var bid: Double
    public var bidSize: Double
    public var ask: Double
    public var askSize: Double
    /// Last trade price, when the source sends one with the quote.
    public var last: Double?
    /// When the exchange (or provider) says the quote was made.
    public var exchangeTime: Timestamp
    /// When ticktop received it; ages are measured from here.
    public var receivedAt: Timestamp
    /// The previous session's close, when the source reports it.
    public var previousClose: Double?
    /// Volume traded so far in the current session, when the source reports it.
    public var dayVolume: Double?

    public init(
        symbol: Symbol, source: SourceID, bid: Double, bidSize: Double, ask: Double, askSize: Double,
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

    /// Midpoint of bid and ask.
    public var mid: Double { (bid + ask) / 2 }
    public var spread: Double { ask - bid }
    /// The price to show: the last trade when known, else the midpoint.
    public var price: Double { last ?? mid }
}
