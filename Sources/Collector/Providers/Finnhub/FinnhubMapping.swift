import Foundation

/// Turns Finnhub's wire values into ticktop's model.
enum FinnhubMapping {
    /// The quote, or nil when Finnhub answered with its "unknown symbol" zeros
    /// (`c` 0 and `t` 0; any non-positive price or time counts): never a price of 0. A time
    /// outside `Timestamp.supportedRange` is a format change (`failure` builds it from a message).
    static func quote(
        _ wire: FinnhubQuoteWire, symbol: Symbol, source: SourceID, receivedAt: Timestamp,
        failure: (String) -> ProviderError
    ) throws -> Quote? {
        guard let price = wire.c, price > 0, let seconds = wire.t, seconds > 0 else { return nil }
        guard let time = Timestamp(checkedSeconds: seconds) else { throw failure(Timestamp.outOfRange("t", seconds)) }
        return Quote(
            lastTrade: symbol, source: source, price: price, exchangeTime: time,
            receivedAt: receivedAt, previousClose: wire.pc.flatMap { $0 > 0 ? $0 : nil })
    }

    /// The bars of an `s: "ok"` answer. A candle with any null value is skipped; arrays missing
    /// while `t` has entries, or a time outside `Timestamp.supportedRange`, are a format change
    /// (`failure` builds it from a message).
    ///
    /// Intraday candles start at the instant given. Daily candles are stamped by Finnhub at the
    /// UTC midnight of their trading date (`provider-formats.md` §5.2), which is taken as is;
    /// any other stamp goes through `newYorkTradingDay`. Weekly and monthly candles then move
    /// to the Monday or the 1st of their bucket (a Sunday stamp counts for the week after it).
    static func bars(
        _ wire: FinnhubCandlesWire, symbol: Symbol, resolution: FinnhubResolution, source: SourceID,
        failure: (String) -> ProviderError
    ) throws -> [Bar] {
        guard let stamps = wire.t, !stamps.isEmpty else { return [] }
        let named = [("o", wire.o), ("h", wire.h), ("l", wire.l), ("c", wire.c), ("v", wire.v)]
        if let (name, _) = named.first(where: { $0.1 == nil }) {
            throw failure("the response changed shape: missing key '\(name)'")
        }
        let (open, high, low, close, volume) = (wire.o!, wire.h!, wire.l!, wire.c!, wire.v!)
        var bars: [Bar] = []
        for (index, stamp) in stamps.enumerated() {
            guard let stamp, let o = open.element(index), let h = high.element(index), let l = low.element(index),
                let c = close.element(index), let v = volume.element(index)
            else { continue }
            guard let time = Timestamp(checkedSeconds: stamp) else {
                throw failure(Timestamp.outOfRange("t[\(index)]", stamp))
            }
            let start = resolution.isDaily ? dayStart(time, timeframe: resolution.fetched) : time
            bars.append(
                Bar(
                    symbol: symbol, source: source, timeframe: resolution.fetched, start: start,
                    open: o, high: h, low: l, close: c, volume: v))
        }
        return bars
    }

    /// The start of a daily, weekly or monthly candle stamped at `stamp`.
    static func dayStart(_ stamp: Timestamp, timeframe: Timeframe) -> Timestamp {
        let day = stamp.startOfUTCDay == stamp ? stamp : stamp.newYorkTradingDay
        switch timeframe {
        case .oneWeek:
            // 1970-01-01 was a Thursday, so day number + 4 modulo 7 is 0 on a Sunday.
            let isSunday = (day.nanoseconds / 86_400_000_000_000 + 4) % 7 == 0
            return timeframe.bucketStart(containing: isSunday ? day + .seconds(86_400) : day)
        case .oneMonth: return timeframe.bucketStart(containing: day)
        default: return day
        }
    }

    /// Finnhub's throttle inside an answer that is not a 429 (`{"error": "API limit reached..."}`).
    /// Checked by `ProviderClient.send`, so the pause is in force before the answer is handed back.
    static func throttleNote(in response: HTTPResponse) -> ProviderClient.ThrottleNote? {
        // An error body is a line; a candle series is not worth parsing twice.
        guard response.status != 429, response.body.count < 4096,
            let said = (try? JSONDecoder().decode(FinnhubErrorWire.self, from: Data(response.body)))?.error,
            case .rateLimited = kind(ofMessage: said)
        else { return nil }
        return ProviderClient.ThrottleNote(wait: nil)
    }

    /// The kind of failure a Finnhub `error` text inside a 2xx answer names.
    static func kind(ofMessage message: String) -> ProviderError.Kind {
        let text = message.lowercased()
        if text.contains("limit reached") { return .rateLimited(retryAfter: nil) }
        if text.contains("access") || text.contains("premium") { return .notEntitled }
        if text.contains("api key") || text.contains("token") { return .unauthorized }
        return .badRequest
    }
}

extension Array {
    /// The element at `index` when it exists and is not null.
    fileprivate func element<Wrapped>(_ index: Int) -> Wrapped? where Element == Wrapped? {
        indices.contains(index) ? self[index] : nil
    }
}
