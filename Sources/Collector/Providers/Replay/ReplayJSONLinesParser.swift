import Foundation

/// Parses a JSON Lines replay file: one JSON object per line, blank lines ignored. A line is
/// either ticktop's own `MarketEvent` JSON (`{"quote":{...}}`, `{"trade":{...}}`, `{"bar":{...}}`
/// with integer-nanosecond times, as ticktop records values) or the flat form:
///
///     {"type":"quote","symbol":"AAPL","time":"2024-03-01T14:30:00.123Z","bid":189.1,"bid_size":3,
///      "ask":189.2,"ask_size":5,"last":189.15,"received":"2024-03-01T14:30:00.150Z"}
///     {"type":"trade","symbol":"AAPL","time":1709303400123,"price":189.15,"size":100,"id":"52983525029461"}
///     {"type":"bar","symbol":"AAPL","timeframe":"1Min","start":"2024-03-01T14:30:00Z","open":189.0,
///      "high":189.5,"low":188.9,"close":189.2,"volume":12345,"vwap":189.21,"trade_count":310}
///
/// In the flat form times are RFC 3339 strings or Unix numbers (`ReplayTime`), numbers may be
/// JSON numbers or numeric strings, quote sizes default to 0, and `last`, `received`, `id`,
/// `vwap`, `trade_count` may be left out; a quote may leave out a side (or both, with a `last`).
/// `ticktop db export ticks --format jsonl` writes this form.
struct ReplayJSONLinesParser {
    let fileName: String

    func parse(_ bytes: [UInt8], into builder: inout ReplayTapeBuilder) {
        let decoder = JSONDecoder()
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            defer {
                start = end + 1
                line += 1
            }
            let text = bytes[start..<end]
            guard text.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { continue }
            do {
                let value = try decoder.decode(ReplayJSONLine.self, from: Data(text))
                try add(value, to: &builder)
            } catch let error as ReplayRowError {
                builder.problems.add(file: fileName, line: line, error.message)
            } catch {
                builder.problems.add(file: fileName, line: line, Self.describe(error))
            }
        }
    }

    private func add(_ value: ReplayJSONLine, to builder: inout ReplayTapeBuilder) throws(ReplayRowError) {
        let events = [value.quote.map(MarketEvent.quote), value.trade.map(MarketEvent.trade), value.bar.map(MarketEvent.bar)]
            .compactMap { $0 }
        if events.count > 1 { throw ReplayRowError("the line holds more than one of quote, trade and bar") }
        if let event = events.first {
            add(event, to: &builder)
            return
        }
        guard let type = value.type else {
            throw ReplayRowError("the line has no \"type\" (quote, trade or bar) and is not a {\"quote\": ...} value")
        }
        let symbol = try builder.symbol(try value.symbol.required("symbol"))
        switch type.lowercased() {
        case "quote":
            let time = try value.time.time("time")
            // A side the provider did not send is absent (a one-sided book, a last-trade quote), as
            // the tape records it; a quote with neither side nor a last has nothing to replay.
            let last = try value.last.optionalNumber("last")
            let bid = try value.bid.optionalNumber("bid")
            let ask = try value.ask.optionalNumber("ask")
            if bid == nil, ask == nil, last == nil { throw ReplayRowError("bid and ask are missing (and there is no last)") }
            builder.append(
                .quote(
                    symbol: symbol, time: time, delay: try value.received.delay(after: time),
                    bid: bid, bidSize: try value.bidSize.optionalNumber("bid_size"),
                    ask: ask, askSize: try value.askSize.optionalNumber("ask_size"), last: last))
        case "trade":
            let time = try value.time.time("time")
            let delay = try value.received.delay(after: time)
            let price = try value.price.number("price")
            let size = try value.size.number("size")
            builder.append(
                .trade(
                    symbol: symbol, time: time, delay: delay, price: price, size: size,
                    id: builder.tradeID(value.id?.text)))
        case "bar":
            let timeframeText = try value.timeframe.required("timeframe")
            guard let timeframe = Timeframe(parsing: timeframeText) else {
                throw ReplayRowError(
                    "timeframe \(ReplayProblem.quoted(timeframeText)) is not one of "
                        + Timeframe.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var tradeCount: Int?
            if let count = try value.tradeCount.optionalNumber("trade_count") {
                guard count >= 0, count < Double(Int32.max), count.rounded() == count else {
                    throw ReplayRowError("trade_count \(count) is not a whole number")
                }
                tradeCount = Int(count)
            }
            builder.append(
                .bar(
                    symbol: symbol, timeframe: timeframe, start: try (value.start ?? value.time).time("start"),
                    open: try value.open.number("open"), high: try value.high.number("high"),
                    low: try value.low.number("low"), close: try value.close.number("close"),
                    volume: try value.volume.number("volume"), vwap: try value.vwap.optionalNumber("vwap"),
                    tradeCount: tradeCount))
        default:
            throw ReplayRowError("type \(ReplayProblem.quoted(type)) is not quote, trade or bar")
        }
    }

    /// A value in ticktop's own JSON, kept with everything it carries except its source.
    private func add(_ event: MarketEvent, to builder: inout ReplayTapeBuilder) {
        let symbol = builder.index(of: event.symbol)
        switch event {
        case .quote(let q):
            builder.append(
                .quote(
                    symbol: symbol, time: q.exchangeTime, delay: q.receivedAt.nanoseconds &- q.exchangeTime.nanoseconds,
                    bid: q.bid, bidSize: q.bidSize, ask: q.ask, askSize: q.askSize, last: q.last,
                    previousClose: q.previousClose, dayVolume: q.dayVolume))
        case .trade(let t):
            builder.append(
                .trade(
                    symbol: symbol, time: t.exchangeTime, delay: t.receivedAt.nanoseconds &- t.exchangeTime.nanoseconds,
                    price: t.price, size: t.size, id: builder.tradeID(t.tradeID)))
        case .bar(let b):
            builder.append(
                .bar(
                    symbol: symbol, timeframe: b.timeframe, start: b.start, open: b.open, high: b.high, low: b.low,
                    close: b.close, volume: b.volume, vwap: b.vwap, tradeCount: b.tradeCount))
        }
    }

    /// A decoding failure as a short message: `bid is not a number`, `quote.exchangeTime is missing`.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)) is null"
        case DecodingError.typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else { return "the line is not a JSON object" }
            let expected = type == String.self ? "text" : type is any Numeric.Type ? "a number" : "\(type)"
            return "\(path(context.codingPath)) is not \(expected)"
        case DecodingError.dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return "the line is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case let error as SymbolError:
            return error.description
        default:
            return String(describing: error)
        }
    }
}
