/// Finnhub's REST answers (`provider-formats.md` §5). Every field is optional: an error body
/// (`{"error": "..."}`) may come instead, and the all-zero "unknown symbol" quote carries nulls.
struct FinnhubQuoteWire: Decodable, Sendable {
    /// Current (last) price.
    var c: Double?
    /// Change and percent change (null for an unknown symbol).
    var d: Double?
    var dp: Double?
    /// Day high, low and open.
    var h: Double?
    var l: Double?
    var o: Double?
    /// Previous close.
    var pc: Double?
    /// Unix seconds of the last update.
    var t: Int64?
    var error: String?
}

/// Column arrays aligned by index; `s` is `ok` or `no_data`.
struct FinnhubCandlesWire: Decodable, Sendable {
    var s: String?
    /// Unix seconds of each candle's start.
    var t: [Int64?]?
    var o: [Double?]?
    var h: [Double?]?
    var l: [Double?]?
    var c: [Double?]?
    var v: [Double?]?
    var error: String?
}

/// Any Finnhub answer read for its `{"error": "..."}` only.
struct FinnhubErrorWire: Decodable, Sendable {
    var error: String?
}
