/// Decodes Polygon (Massive) stocks stream frames (`provider-formats.md` §4.4: a JSON array
/// of events typed by `ev`, times in Unix milliseconds) straight from bytes into ticktop
/// values. Same guarantees as `AlpacaStreamDecoder`; keep one per connection.
package struct PolygonStreamDecoder: StreamFrameDecoder, Sendable {
    package let source: SourceID
    private var symbols = StreamSymbolCache { ticker throws(SymbolError) in try PolygonStreamDecoder.symbol(ticker: ticker) }

    package init(source: SourceID) {
        self.source = source
    }

    /// A Polygon ticker as a symbol: `AAPL`, `BRK.B` as written; `I:SPX` → `^SPX`;
    /// `C:EURUSD` → `EURUSD=X`; `X:BTCUSD` → `BTC-USD` (the longest known quote currency).
    package static func symbol(ticker: String) throws(SymbolError) -> Symbol {
        let ticker = ticker.uppercased()
        if ticker.hasPrefix("I:") { return try Symbol("^" + String(ticker.dropFirst(2))) }
        if ticker.hasPrefix("C:") { return try Symbol(String(ticker.dropFirst(2)) + "=X") }
        if ticker.hasPrefix("X:") { return try Symbol.cryptoPair(concatenated: ticker.dropFirst(2), input: ticker) }
        return try Symbol(ticker)
    }

    package mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp)
        throws(StreamDecodingError) -> [PolygonStreamMessage]
    {
        var reader = JSONReader(frame)
        return try reader.readMessages { (fields: PolygonStreamFields, reading) throws(StreamDecodingError) in
            try message(fields, reading, receivedAt: receivedAt)
        }
    }

    // Fields are read in the order of the reference wire structs (JSON first, then symbol
    // and time), so both report the same first problem.
    private mutating func message(_ fields: PolygonStreamFields, _ f: StreamFieldReader, receivedAt: Timestamp)
        throws(StreamDecodingError) -> PolygonStreamMessage
    {
        switch f.text(try f.string(fields.ev, "ev")) {
        case "Q":
            let symbol = try f.string(fields.sym, "sym")
            let bid = try f.double(fields.bp, "bp")
            let bidSize = try f.optionalDouble(fields.bs, "bs")
            let ask = try f.double(fields.ap, "ap")
            let askSize = try f.optionalDouble(fields.as, "as")
            let time = try f.int64(fields.t, "t")
            return .quote(
                Quote(
                    symbol: try symbols.symbol(symbol, "sym", in: f), source: source, bid: bid, bidSize: bidSize,
                    ask: ask, askSize: askSize, exchangeTime: try f.time(milliseconds: time, "t"),
                    receivedAt: receivedAt))
        case "T":
            let symbol = try f.string(fields.sym, "sym")
            let price = try f.double(fields.p, "p")
            let size = try f.optionalDouble(fields.s, "s")
            let time = try f.int64(fields.t, "t")
            let id = try f.optionalText(fields.i, "i")
            return .trade(
                Trade(
                    symbol: try symbols.symbol(symbol, "sym", in: f), source: source, price: price, size: size ?? 0,
                    exchangeTime: try f.time(milliseconds: time, "t"), receivedAt: receivedAt, tradeID: id))
        case "AM":
            let symbol = try f.string(fields.sym, "sym")
            let open = try f.double(fields.o, "o")
            let high = try f.double(fields.h, "h")
            let low = try f.double(fields.l, "l")
            let close = try f.double(fields.c, "c")
            let volume = try f.double(fields.v, "v")
            let vwap = try f.optionalDouble(fields.vw, "vw")
            let start = try f.int64(fields.s, "s")
            return .bar(
                Bar(
                    symbol: try symbols.symbol(symbol, "sym", in: f), source: source, timeframe: .oneMinute,
                    start: try f.time(milliseconds: start, "s"), open: open, high: high, low: low, close: close,
                    volume: volume, vwap: vwap))
        case "status":
            let status = f.text(try f.string(fields.status, "status"))
            return .status(status: status, message: try f.optionalText(fields.message, "message") ?? "")
        case let other:
            return .unknown(event: other)
        }
    }
}
