/// The notes Alpha Vantage sends instead of data, always with HTTP 200
/// (`provider-formats.md` §3.4). Any other key in the body is ignored here.
struct AlphaVantageNotes: Decodable {
    var errorMessage: String?
    var information: String?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case errorMessage = "Error Message"
        case information = "Information"
        case note = "Note"
    }
}

/// A time-series answer (`TIME_SERIES_DAILY`, `TIME_SERIES_INTRADAY`): `Meta Data` plus one
/// object keyed `Time Series (<interval>)` whose keys are New York dates or date-times.
/// Every series found is kept so the caller can name exactly which one is missing.
struct AlphaVantageSeriesPayload: Decodable {
    var hasMetaData: Bool
    var series: [String: [String: AlphaVantageBarWire]]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AlphaVantageKey.self)
        hasMetaData = container.contains(AlphaVantageKey("Meta Data"))
        var series: [String: [String: AlphaVantageBarWire]] = [:]
        for key in container.allKeys where key.stringValue.hasPrefix("Time Series") {
            series[key.stringValue] = try container.decode([String: AlphaVantageBarWire].self, forKey: key)
        }
        self.series = series
    }
}

/// One OHLCV entry; every value is a string such as `"174.2500"`.
struct AlphaVantageBarWire: Decodable {
    var open: AlphaVantageNumber
    var high: AlphaVantageNumber
    var low: AlphaVantageNumber
    var close: AlphaVantageNumber
    var volume: AlphaVantageNumber

    enum CodingKeys: String, CodingKey {
        case open = "1. open"
        case high = "2. high"
        case low = "3. low"
        case close = "4. close"
        case volume = "5. volume"
    }
}

/// The `GLOBAL_QUOTE` answer. An unknown symbol comes back as `{"Global Quote": {}}`,
/// so every field is optional and emptiness is judged by the caller.
struct AlphaVantageGlobalQuoteResponse: Decodable {
    var quote: AlphaVantageGlobalQuoteWire

    enum CodingKeys: String, CodingKey {
        case quote = "Global Quote"
    }
}

struct AlphaVantageGlobalQuoteWire: Decodable {
    var symbol: String?
    var open: AlphaVantageNumber?
    var high: AlphaVantageNumber?
    var low: AlphaVantageNumber?
    var price: AlphaVantageNumber?
    var volume: AlphaVantageNumber?
    var latestTradingDay: String?
    var previousClose: AlphaVantageNumber?
    var change: AlphaVantageNumber?
    /// With a trailing `%`, e.g. `"-2.9572%"`; kept as text.
    var changePercent: String?

    enum CodingKeys: String, CodingKey {
        case symbol = "01. symbol"
        case open = "02. open"
        case high = "03. high"
        case low = "04. low"
        case price = "05. price"
        case volume = "06. volume"
        case latestTradingDay = "07. latest trading day"
        case previousClose = "08. previous close"
        case change = "09. change"
        case changePercent = "10. change percent"
    }

    /// True for the `{}` Alpha Vantage sends for a symbol it does not know.
    var isEmpty: Bool { symbol == nil && price == nil && latestTradingDay == nil }
}

/// A number Alpha Vantage writes as a string (`"174.2500"`). A bare JSON number is
/// accepted too; anything else, or a string that is not a number, is a format change.
struct AlphaVantageNumber: Decodable, Hashable {
    var value: Double

    init(_ value: Double) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Double(text.trimmingBlanks()), value.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a number")
            }
            self.value = value
        } else if let number = try? container.decode(Double.self) {
            value = number
        } else {
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a numeric string"))
        }
    }
}

/// A coding key for Alpha Vantage's free-form object keys.
struct AlphaVantageKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ text: String) { stringValue = text }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
