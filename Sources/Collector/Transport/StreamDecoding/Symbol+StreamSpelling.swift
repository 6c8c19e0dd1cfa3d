/// Provider spellings of symbols on stream frames that `Symbol.init` does not read itself.
extension Symbol {
    /// A crypto pair written without a separator (`BTCUSD`, `ETHUSDT`): the quote currency is
    /// the longest known one the text ends with.
    static func cryptoPair(concatenated pair: Substring, input: String) throws(SymbolError) -> Symbol {
        let currencies = cryptoQuoteCurrencies.sorted { ($0.count, $0) > ($1.count, $1) }
        guard let currency = currencies.first(where: { pair.count > $0.count && pair.uppercased().hasSuffix($0) }) else {
            throw SymbolError(input: input, reason: "it does not end in a quote currency this build knows")
        }
        return try Symbol(String(pair.dropLast(currency.count)) + "-" + currency)
    }
}
