/// One print on the tape.
public struct Trade: Sendable, Hashable, Codable {
    public var symbol: Symbol
    public var source: SourceID
    public var price: Double
    public var size: Double
    public var exchangeTime: Timestamp
    public var receivedAt: Timestamp
    /// The provider's trade id, when it has one.
    public var tradeID: String?

    public init(
        symbol: Symbol, source: SourceID, price: Double, size: Double,
        exchangeTime: Timestamp, receivedAt: Timestamp, tradeID: String? = nil
    ) {
        self.symbol = symbol
        self.source = source
        self.price = price
        self.size = size
        self.exchangeTime = exchangeTime
        self.receivedAt = receivedAt
        self.tradeID = tradeID
    }
}
