/// One print on the tape.
public struct Trade: Sendable, Hashable, Codable {
    package var symbol: Symbol
    package var source: SourceID
    package var price: Double
    public var size: Double
    package var exchangeTime: Timestamp
    package var receivedAt: Timestamp
    /// The provider's trade id, when it has one.
    package var tradeID: String?

    package init(
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
