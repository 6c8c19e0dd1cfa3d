/// Alpaca's JSON objects as sent (provider-formats.md §1.2–1.4, §1.7). Only what ticktop
/// uses is decoded; the fields a value cannot do without are required, so their absence
/// is reported as a format change naming the key.
enum AlpacaWire {
    /// A bar: `t` RFC 3339, `o h l c`, `v` (an integer for stocks, fractional for crypto),
    /// `n` trade count, `vw` VWAP.
    struct Bar: Decodable, Sendable {
        var t: String
        var o: Double
        var h: Double
        var l: Double
        var c: Double
        var v: Double
        var n: Int?
        var vw: Double?
    }

    /// A trade: `t`, price `p`, size `s` (fractional for crypto), id `i`.
    struct Trade: Decodable, Sendable {
        var t: String
        var p: Double
        var s: Double?
        var i: Int64?
    }

    /// A quote: `t`, bid `bp`/`bs`, ask `ap`/`as` (exchange codes and conditions are not used).
    struct Quote: Decodable, Sendable {
        var t: String
        var bidPrice: Double
        var bidSize: Double?
        var askPrice: Double
        var askSize: Double?

        enum CodingKeys: String, CodingKey {
            case t
            case bidPrice = "bp"
            case bidSize = "bs"
            case askPrice = "ap"
            case askSize = "as"
        }
    }

    /// One symbol's snapshot; every part may be missing or null (a new listing has no previous day).
    struct Snapshot: Decodable, Sendable {
        var latestTrade: Trade?
        var latestQuote: Quote?
        var minuteBar: Bar?
        var dailyBar: Bar?
        var prevDailyBar: Bar?
    }
}
