/// Encoded as the `Double?` fields it had before they were stored compactly: the same keys, an
/// absent value left out.
extension Quote: Codable {
    private enum CodingKeys: String, CodingKey {
        case symbol, source, bid, bidSize, ask, askSize, last, exchangeTime, receivedAt, previousClose, dayVolume
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            symbol: try container.decode(Symbol.self, forKey: .symbol),
            source: try container.decode(SourceID.self, forKey: .source),
            bid: try container.decodeIfPresent(Double.self, forKey: .bid),
            bidSize: try container.decodeIfPresent(Double.self, forKey: .bidSize),
            ask: try container.decodeIfPresent(Double.self, forKey: .ask),
            askSize: try container.decodeIfPresent(Double.self, forKey: .askSize),
            last: try container.decodeIfPresent(Double.self, forKey: .last),
            exchangeTime: try container.decode(Timestamp.self, forKey: .exchangeTime),
            receivedAt: try container.decode(Timestamp.self, forKey: .receivedAt),
            previousClose: try container.decodeIfPresent(Double.self, forKey: .previousClose),
            dayVolume: try container.decodeIfPresent(Double.self, forKey: .dayVolume))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(symbol, forKey: .symbol)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(bid, forKey: .bid)
        try container.encodeIfPresent(bidSize, forKey: .bidSize)
        try container.encodeIfPresent(ask, forKey: .ask)
        try container.encodeIfPresent(askSize, forKey: .askSize)
        try container.encodeIfPresent(last, forKey: .last)
        try container.encode(exchangeTime, forKey: .exchangeTime)
        try container.encode(receivedAt, forKey: .receivedAt)
        try container.encodeIfPresent(previousClose, forKey: .previousClose)
        try container.encodeIfPresent(dayVolume, forKey: .dayVolume)
    }
}
