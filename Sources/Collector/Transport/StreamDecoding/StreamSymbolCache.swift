/// Symbols already seen on a stream, by their wire spelling. Validating a `Symbol` costs
/// more than decoding the rest of a quote, and a stream repeats a few hundred symbols.
/// Spellings of up to seven bytes without escapes (nearly all tickers) are looked up by
/// their packed bytes (`JSONKey`), without making a `String`. Only valid symbols are kept,
/// at most `limit` of them (then the cache starts over).
struct StreamSymbolCache: Sendable {
    /// Turns a provider's spelling into a symbol, e.g. `Symbol.init` or Polygon's `X:BTCUSD` rule.
    let resolve: @Sendable (String) throws(SymbolError) -> Symbol
    let limit = 4_096
    private var short: [UInt64: Symbol] = [:]
    private var long: [String: Symbol] = [:]

    init(resolve: @escaping @Sendable (String) throws(SymbolError) -> Symbol) {
        self.resolve = resolve
    }

    mutating func symbol(_ token: JSONValue, _ field: String, in fields: StreamFieldReader)
        throws(StreamDecodingError) -> Symbol
    {
        let packed =
            token.end - token.start <= 7 && !token.flag
            ? fields.reader.withUTF8(of: token) { JSONKey.pack($0) } : nil
        if let packed, let known = short[packed] { return known }
        let text = fields.text(token)
        if packed == nil, let known = long[text] { return known }
        let symbol: Symbol
        do {
            symbol = try resolve(text)
        } catch {
            throw .invalidField(field, message: fields.message, reason: error.reason)
        }
        if short.count + long.count >= limit {
            short.removeAll(keepingCapacity: true)
            long.removeAll(keepingCapacity: true)
        }
        if let packed { short[packed] = symbol } else { long[text] = symbol }
        return symbol
    }
}
