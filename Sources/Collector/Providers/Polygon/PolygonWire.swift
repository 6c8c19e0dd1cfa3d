/// The fields every Polygon answer carries, read before the payload so that an error
/// inside a 200 is recognised whatever else the body holds (`provider-formats.md` §4.3):
/// the text is under `error` for `status: "ERROR"` and under `message` otherwise.
struct PolygonStatusWire: Decodable, Sendable {
    var status: String?
    var error: String?
    var message: String?

    /// The provider's own words, wherever it put them.
    var said: String? { [error, message].compactMap { $0 }.first { !$0.isEmpty } }
}

/// `/v2/aggs/ticker/{ticker}/range/...` and `/v2/aggs/ticker/{ticker}/prev` (§4.1).
/// `results` is absent (or empty) when there is nothing; `next_url` names the next page.
struct PolygonAggregatesResponse: Decodable, Sendable {
    var ticker: String?
    var status: String?
    var resultsCount: Int?
    var results: [PolygonAggregateWire]?
    var nextURL: String?

    enum CodingKeys: String, CodingKey {
        case ticker, status, resultsCount, results
        case nextURL = "next_url"
    }
}

/// One aggregate: `t` is the window start in Unix milliseconds.
struct PolygonAggregateWire: Decodable, Sendable {
    var o: Double
    var h: Double
    var l: Double
    var c: Double
    var v: Double
    var t: Int64
    var vw: Double?
    var n: Int?
}

/// `/v2/last/trade/{ticker}` (§4.2).
struct PolygonLastTradeResponse: Decodable, Sendable {
    var status: String?
    var results: PolygonTradeWire?
}

/// The last trade: `t` is the SIP time in Unix nanoseconds, `p` the price, `s` the size.
struct PolygonTradeWire: Decodable, Sendable {
    var p: Double
    var s: Double?
    var t: Int64
    var x: Int?
}

/// `/v2/last/nbbo/{ticker}` (§4.2).
struct PolygonNBBOResponse: Decodable, Sendable {
    var status: String?
    var results: PolygonNBBOWire?
}

/// The last NBBO: lower-case `p`/`s`/`x` are the bid, upper-case `P`/`S`/`X` the ask;
/// sizes are in round lots; `t` is the SIP time in Unix nanoseconds.
struct PolygonNBBOWire: Decodable, Sendable {
    var bidPrice: Double
    var bidSize: Double?
    var askPrice: Double
    var askSize: Double?
    var t: Int64

    enum CodingKeys: String, CodingKey {
        case bidPrice = "p"
        case bidSize = "s"
        case askPrice = "P"
        case askSize = "S"
        case t
    }
}
