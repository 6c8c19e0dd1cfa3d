/// One line of a JSON Lines replay file, in either form (see `ReplayJSONLinesParser`). Every field
/// is optional here; the parser says which one is missing.
struct ReplayJSONLine: Decodable {
    var quote: Quote?
    var trade: Trade?
    var bar: Bar?
    var type: String?
    var symbol: String?
    var timeframe: String?
    var id: ReplayJSONScalar?
    var time, start, received: ReplayJSONScalar?
    var bid, bidSize, ask, askSize, last, price, size: ReplayJSONScalar?
    var open, high, low, close, volume, vwap, tradeCount: ReplayJSONScalar?

    enum CodingKeys: String, CodingKey {
        case quote, trade, bar, type, symbol, timeframe, id, time, start, received, bid, ask, last, price, size
        case open, high, low, close, volume, vwap
        case bidSize = "bid_size"
        case askSize = "ask_size"
        case tradeCount = "trade_count"
    }
}

/// A JSON string or number kept as text, so `189.15`, `"189.15"`, `1709303400123` and
/// `"2024-03-01T14:30:00Z"` all parse the same way as CSV cells.
struct ReplayJSONScalar: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else {
            // The shortest text that reads back as the same Double.
            text = String(try container.decode(Double.self))
        }
    }
}

extension Optional where Wrapped == ReplayJSONScalar {
    func number(_ name: String) throws(ReplayRowError) -> Double {
        guard let text = self?.text else { throw ReplayRowError("\(name) is missing") }
        guard let value = Double(text), value.isFinite else {
            throw ReplayRowError("\(name) \(ReplayProblem.quoted(text)) is not a number")
        }
        return value
    }

    /// nil when the key is absent, null or an empty string.
    func optionalNumber(_ name: String) throws(ReplayRowError) -> Double? {
        guard let text = self?.text, !text.isEmpty else { return nil }
        return try number(name)
    }

    func time(_ name: String) throws(ReplayRowError) -> Timestamp {
        guard let text = self?.text else { throw ReplayRowError("\(name) is missing") }
        guard let time = ReplayTime.parse(text) else {
            throw ReplayRowError("\(name) \(ReplayProblem.quoted(text)) is not a time (\(ReplayTime.expected))")
        }
        return time
    }

    /// The recorded delay from `time` to `received` (ns), -1 when not recorded.
    func delay(after time: Timestamp) throws(ReplayRowError) -> Int64 {
        guard self != nil else { return -1 }
        return try ReplayTime.delay(from: time, to: self.time("received"))
    }
}

extension Optional where Wrapped == String {
    func required(_ name: String) throws(ReplayRowError) -> String {
        guard let self, !self.isEmpty else { throw ReplayRowError("\(name) is missing") }
        return self
    }
}
