/// Symbols already seen on a stream, by their wire spelling. Validating a `Symbol` costs
/// more than decoding the rest of a quote, and a stream repeats a few hundred symbols.
/// Only valid symbols are kept, at most `limit` of them (then the cache starts over).
struct StreamSymbolCache: Sendable {
    /// Turns a provider's spelling into a symbol, e.g. `Symbol.init` or Polygon's `X:BTCUSD` rule.
    let resolve: @Sendable (String) throws(SymbolError) -> Symbol
    let limit = 4_096
    private var symbols: [String: Symbol] = [:]

    init(resolve: @escaping @Sendable (String) throws(SymbolError) -> Symbol) {
        self.resolve = resolve
    }

    mutating func symbol(_ token: JSONValue, _ field: String, in fields: StreamFieldReader)
        throws(StreamDecodingError) -> Symbol
    {
        let text = fields.text(token)
        if let known = symbols[text] { return known }
        let symbol: Symbol
        do {
            symbol = try resolve(text)
        } catch {
            throw .invalidField(field, message: fields.message, reason: error.reason)
        }
        if symbols.count >= limit { symbols.removeAll(keepingCapacity: true) }
        symbols[text] = symbol
        return symbol
    }
}
