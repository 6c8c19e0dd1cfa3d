/// Decodes Finnhub WebSocket frames (`provider-formats.md` §5.4) straight from bytes into
/// ticktop values: trades (`s` symbol, `p` price, `t` Unix ms, `v` volume; the `c`
/// conditions are not used), pings and errors. Same guarantees as `AlpacaStreamDecoder`;
/// errors in a trade name its index in `data`.
package struct FinnhubStreamDecoder: StreamFrameDecoder, Sendable {
    package let source: SourceID
    private var symbols = StreamSymbolCache { text throws(SymbolError) in try FinnhubStreamDecoder.symbol(text) }

    package init(source: SourceID) {
        self.source = source
    }

    /// A Finnhub symbol: stocks as written (`AAPL`); `EXCHANGE:` crypto pairs
    /// (`BINANCE:BTCUSDT` → `BTC-USDT`) and FX pairs (`OANDA:EUR_USD` → `EURUSD=X`).
    package static func symbol(_ text: String) throws(SymbolError) -> Symbol {
        guard let colon = text.firstIndex(of: ":") else { return try Symbol(text) }
        let pair = text[text.index(after: colon)...]
        if let underscore = pair.firstIndex(of: "_") {
            return try Symbol(String(pair[..<underscore]) + String(pair[pair.index(after: underscore)...]) + "=X")
        }
        return try Symbol.cryptoPair(concatenated: pair, input: text)
    }

    package mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp)
        throws(StreamDecodingError) -> FinnhubStreamMessage
    {
        var reader = JSONReader(frame)
        reader.skipWhitespace()
        let start = reader.offset
        var type: JSONValue?
        var data: JSONValue?
        var msg: JSONValue?
        let isObject = try reader.readMembers(depth: 0) { key, value in
            switch JSONKey.pack(key) {
            case 0x0400_0000_6570_7974: JSONKey.keepFirst(&type, value)
            case 0x0400_0000_6174_6164: JSONKey.keepFirst(&data, value)
            case 0x0300_0000_0067_736D: JSONKey.keepFirst(&msg, value)
            default: break
            }
        }
        try reader.finish()
        guard isObject else { throw .unexpectedShape(offset: start, expected: "a JSON object") }
        let f = StreamFieldReader(reader: reader, message: nil)
        switch f.text(try f.string(type, "type")) {
        case "trade": return .trades(try trades(f.expect(.array, try f.required(data, "data"), "data"), in: reader, receivedAt))
        case "ping": return .ping
        case "error": return .error(message: try f.optionalText(msg, "msg") ?? "")
        case let other: return .unknown(type: other)
        }
    }

    private mutating func trades(_ data: JSONValue, in frame: JSONReader, _ receivedAt: Timestamp)
        throws(StreamDecodingError) -> [Trade]
    {
        // The frame was validated above: this walk only reads what it already checked.
        var reader = JSONReader(UnsafeRawBufferPointer(frame.bytes), offset: data.start)
        var trades: [Trade] = []
        guard try reader.beginArray() else { return trades }
        var index = 0
        repeat {
            reader.skipWhitespace()
            let start = reader.offset
            var s: JSONValue?
            var p: JSONValue?
            var t: JSONValue?
            var v: JSONValue?
            let isObject = try reader.readMembers(depth: 1) { key, value in
                switch JSONKey.pack(key) {
                case 0x0100_0000_0000_0073: JSONKey.keepFirst(&s, value)
                case 0x0100_0000_0000_0070: JSONKey.keepFirst(&p, value)
                case 0x0100_0000_0000_0074: JSONKey.keepFirst(&t, value)
                case 0x0100_0000_0000_0076: JSONKey.keepFirst(&v, value)
                default: break
                }
            }
            guard isObject else { throw .unexpectedShape(offset: start, expected: "trade \(index) as an object") }
            // In the order of the reference wire struct: JSON first, then symbol and time.
            let f = StreamFieldReader(reader: reader, message: index)
            let symbol = try f.string(s, "s")
            let price = try f.double(p, "p")
            let time = try f.int64(t, "t")
            let volume = try f.optionalDouble(v, "v")
            trades.append(
                Trade(
                    symbol: try symbols.symbol(symbol, "s", in: f), source: source, price: price, size: volume ?? 0,
                    exchangeTime: try f.time(milliseconds: time, "t"), receivedAt: receivedAt))
            index += 1
        } while try reader.nextElement()
        return trades
    }
}
