/// The v7 quote response (`provider-formats.md` §2.2). Errors come under `finance` or,
/// per some clients, under `quoteResponse`; both are decoded.
struct YahooQuoteEnvelope: Decodable, Sendable {
    var quoteResponse: YahooQuoteBody?
    var finance: YahooQuoteBody?
}

struct YahooQuoteBody: Decodable, Sendable {
    var result: [YahooQuoteWire]?
    var error: YahooErrorWire?
}

struct YahooQuoteWire: Decodable, Sendable {
    var symbol: String
    var marketState: String?
    var regularMarketPrice: YahooValue<Double>?
    /// Unix seconds.
    var regularMarketTime: YahooValue<Int64>?
    var regularMarketPreviousClose: YahooValue<Double>?
    var regularMarketVolume: YahooValue<Double>?
    var bid: YahooValue<Double>?
    var ask: YahooValue<Double>?
    var bidSize: YahooValue<Double>?
    var askSize: YahooValue<Double>?
}

/// A number sent plain (`formatted=false`, what we ask for) or wrapped as
/// `{"raw": 170.12, "fmt": "170.12"}` (`formatted=true`); both decode.
struct YahooValue<Value: Decodable & Sendable>: Decodable, Sendable {
    var value: Value

    private enum CodingKeys: String, CodingKey { case raw }

    init(from decoder: any Decoder) throws {
        do {
            value = try decoder.singleValueContainer().decode(Value.self)
        } catch let plain as DecodingError {
            // Not a plain value: accept the wrapped form, else report the plain mismatch.
            guard let wrapped = try? decoder.container(keyedBy: CodingKeys.self) else { throw plain }
            value = try wrapped.decode(Value.self, forKey: .raw)
        }
    }
}
