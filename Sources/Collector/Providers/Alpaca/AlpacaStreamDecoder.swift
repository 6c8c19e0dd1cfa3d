/// Decodes Alpaca stream frames (`provider-formats.md` §1.6, §1.7: a JSON array of messages
/// typed by `T`) straight from bytes into ticktop values, without Foundation's JSON.
///
/// Results agree with `JSONDecoder` on valid input (the differential tests check this),
/// times are exact integer nanoseconds, and any malformed frame is an error, never a value.
/// Values are mapped as sent (a quote with an empty side has a price of 0): judging them is
/// the validator's job. Keep one decoder per connection: it remembers the symbols it validated.
package struct AlpacaStreamDecoder: StreamFrameDecoder, Sendable {
    package let source: SourceID
    private var symbols = StreamSymbolCache { text throws(SymbolError) in try Symbol(text) }

    package init(source: SourceID) {
        self.source = source
    }

    package mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp)
        throws(StreamDecodingError) -> [AlpacaStreamMessage]
    {
        var reader = JSONReader(frame)
        return try reader.readMessages { (fields: AlpacaStreamFields, reading) throws(StreamDecodingError) in
            try message(fields, reading, receivedAt: receivedAt)
        }
    }

    private mutating func message(_ fields: AlpacaStreamFields, _ f: StreamFieldReader, receivedAt: Timestamp)
        throws(StreamDecodingError) -> AlpacaStreamMessage
    {
        let type = try f.string(fields.T, "T")
        switch Self.kind(type, in: f.reader) {
        case .quote: return .quote(try quote(fields, f, receivedAt: receivedAt))
        case .trade: return .trade(try trade(fields, f, receivedAt: receivedAt))
        case .bar(let kind): return try bar(fields, f, kind: kind)
        case .success:
            return .success(message: f.text(try f.string(fields.msg, "msg")))
        case .error:
            let code = try f.int64(fields.code, "code")
            return .error(code: Int(code), message: try f.optionalText(fields.msg, "msg") ?? "")
        case .subscription:
            return .subscription(
                AlpacaStreamMessage.Subscription(
                    trades: try f.textList(fields.trades, "trades"), quotes: try f.textList(fields.quotes, "quotes"),
                    bars: try f.textList(fields.bars, "bars"), updatedBars: try f.textList(fields.updatedBars, "updatedBars"),
                    dailyBars: try f.textList(fields.dailyBars, "dailyBars"),
                    statuses: try f.textList(fields.statuses, "statuses")))
        case .unknown(let type):
            return .unknown(type: type)
        }
    }

    private enum Kind {
        case quote, trade
        case bar(AlpacaStreamMessage.BarKind)
        case success, error, subscription
        case unknown(String)
    }

    /// The message type: a switch on the byte for the one-letter data types (no `String`),
    /// on the text for the rest and for types written with escapes (`"\u0071"` is `q`).
    private static func kind(_ type: JSONValue, in reader: JSONReader) -> Kind {
        switch reader.singleByte(type) {
        case UInt8(ascii: "q"): return .quote
        case UInt8(ascii: "t"): return .trade
        case UInt8(ascii: "b"): return .bar(.minute)
        case UInt8(ascii: "u"): return .bar(.updated)
        case UInt8(ascii: "d"): return .bar(.daily)
        default: break
        }
        switch reader.string(type) {
        case "q": return .quote
        case "t": return .trade
        case "b": return .bar(.minute)
        case "u": return .bar(.updated)
        case "d": return .bar(.daily)
        case "success": return .success
        case "error": return .error
        case "subscription": return .subscription
        case let other: return .unknown(other)
        }
    }

    // Each reads its fields in the order of the reference wire structs (JSON first, then
    // symbol and time), so both report the same first problem.

    private mutating func quote(_ fields: AlpacaStreamFields, _ f: StreamFieldReader, receivedAt: Timestamp)
        throws(StreamDecodingError) -> Quote
    {
        let symbol = try f.string(fields.S, "S")
        let bid = try f.double(fields.bp, "bp")
        let bidSize = try f.optionalDouble(fields.bs, "bs")
        let ask = try f.double(fields.ap, "ap")
        let askSize = try f.optionalDouble(fields.as, "as")
        let time = try f.string(fields.t, "t")
        return Quote(
            symbol: try symbols.symbol(symbol, "S", in: f), source: source, bid: bid, bidSize: bidSize, ask: ask,
            askSize: askSize, exchangeTime: try f.timestamp(time, "t"), receivedAt: receivedAt)
    }

    private mutating func trade(_ fields: AlpacaStreamFields, _ f: StreamFieldReader, receivedAt: Timestamp)
        throws(StreamDecodingError) -> Trade
    {
        let symbol = try f.string(fields.S, "S")
        let price = try f.double(fields.p, "p")
        let size = try f.optionalDouble(fields.s, "s")
        let id = try f.optionalInt64(fields.i, "i")
        let time = try f.string(fields.t, "t")
        return Trade(
            symbol: try symbols.symbol(symbol, "S", in: f), source: source, price: price, size: size ?? 0,
            exchangeTime: try f.timestamp(time, "t"), receivedAt: receivedAt, tradeID: id.map { String($0) })
    }

    private mutating func bar(_ fields: AlpacaStreamFields, _ f: StreamFieldReader, kind: AlpacaStreamMessage.BarKind)
        throws(StreamDecodingError) -> AlpacaStreamMessage
    {
        let symbol = try f.string(fields.S, "S")
        let open = try f.double(fields.o, "o")
        let high = try f.double(fields.h, "h")
        let low = try f.double(fields.l, "l")
        let close = try f.double(fields.c, "c")
        let volume = try f.double(fields.v, "v")
        let count = try f.optionalInt64(fields.n, "n")
        let vwap = try f.optionalDouble(fields.vw, "vw")
        let time = try f.string(fields.t, "t")
        let bar = Bar(
            symbol: try symbols.symbol(symbol, "S", in: f), source: source, timeframe: kind.timeframe,
            start: AlpacaMapping.barStart(try f.timestamp(time, "t"), timeframe: kind.timeframe), open: open,
            high: high, low: low, close: close, volume: volume, vwap: vwap, tradeCount: count.map { Int($0) })
        return .bar(bar, kind)
    }
}
