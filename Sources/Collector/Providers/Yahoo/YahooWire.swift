/// The v8 chart response (`provider-formats.md` §2.1). Every field is optional: Yahoo is
/// unofficial and adds, drops and nulls fields freely; the mapping decides what is required.
struct YahooChartEnvelope: Decodable, Sendable {
    var chart: YahooChartBody
}

struct YahooChartBody: Decodable, Sendable {
    var result: [YahooChartResult]?
    var error: YahooErrorWire?
}

/// `{"code": "Not Found", "description": "No data found, symbol may be delisted"}`.
struct YahooErrorWire: Decodable, Sendable, Hashable {
    var code: String?
    var description: String?
}

struct YahooChartResult: Decodable, Sendable {
    var meta: YahooChartMeta?
    /// Unix seconds of each bar's start; absent in a "no data" answer.
    var timestamp: [Int64?]?
    var events: YahooChartEvents?
    var indicators: YahooIndicators?
}

struct YahooChartMeta: Decodable, Sendable {
    var symbol: String?
    var currency: String?
    /// IANA zone of the exchange, e.g. `America/New_York`, `Europe/London`, `UTC` (crypto).
    var exchangeTimezoneName: String?
    /// The exchange's current offset from UTC in seconds (fallback when the zone name is unknown).
    var gmtoffset: Int?
    var dataGranularity: String?
}

struct YahooIndicators: Decodable, Sendable {
    var quote: [YahooQuoteIndicator]?
    var adjclose: [YahooAdjustedClose]?
}

/// Column arrays aligned with `timestamp`; any element may be null.
struct YahooQuoteIndicator: Decodable, Sendable {
    var open: [Double?]?
    var high: [Double?]?
    var low: [Double?]?
    var close: [Double?]?
    var volume: [Double?]?
}

struct YahooAdjustedClose: Decodable, Sendable {
    var adjclose: [Double?]?
}

/// Keyed by stringified epochs, which are ignored in favour of the inner `date`.
struct YahooChartEvents: Decodable, Sendable {
    var dividends: [String: YahooDividendWire]?
    var splits: [String: YahooSplitWire]?
}

struct YahooDividendWire: Decodable, Sendable {
    var amount: Double?
    var date: Int64?
    var currency: String?
}

struct YahooSplitWire: Decodable, Sendable {
    var date: Int64?
    var numerator: Double?
    var denominator: Double?
    var splitRatio: String?
}

/// The error of any Yahoo JSON answer, wherever Yahoo put it (`chart`, `quoteResponse`, `finance`).
struct YahooErrorEnvelope: Decodable, Sendable {
    struct Body: Decodable, Sendable {
        var error: YahooErrorWire?
    }

    var chart: Body?
    var quoteResponse: Body?
    var finance: Body?

    var error: YahooErrorWire? { chart?.error ?? quoteResponse?.error ?? finance?.error }
}
