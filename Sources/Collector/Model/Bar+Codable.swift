/// Encoded as it was before its fields were reordered for size and its VWAP stored compactly:
/// the same keys, an absent value left out.
extension Bar: Codable {
    private enum CodingKeys: String, CodingKey {
        case symbol, source, timeframe, start, open, high, low, close, volume, vwap, tradeCount
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            symbol: try container.decode(Symbol.self, forKey: .symbol),
            source: try container.decode(SourceID.self, forKey: .source),
            timeframe: try container.decode(Timeframe.self, forKey: .timeframe),
            start: try container.decode(Timestamp.self, forKey: .start),
            open: try container.decode(Double.self, forKey: .open),
            high: try container.decode(Double.self, forKey: .high),
            low: try container.decode(Double.self, forKey: .low),
            close: try container.decode(Double.self, forKey: .close),
            volume: try container.decode(Double.self, forKey: .volume),
            vwap: try container.decodeIfPresent(Double.self, forKey: .vwap),
            tradeCount: try container.decodeIfPresent(Int.self, forKey: .tradeCount))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(symbol, forKey: .symbol)
        try container.encode(source, forKey: .source)
        try container.encode(timeframe, forKey: .timeframe)
        try container.encode(start, forKey: .start)
        try container.encode(open, forKey: .open)
        try container.encode(high, forKey: .high)
        try container.encode(low, forKey: .low)
        try container.encode(close, forKey: .close)
        try container.encode(volume, forKey: .volume)
        try container.encodeIfPresent(vwap, forKey: .vwap)
        try container.encodeIfPresent(tradeCount, forKey: .tradeCount)
    }
}
