/// A comma-separated list of symbols from the command line (`--symbols AAPL,MSFT`),
/// checked as strictly as a watchlist in the configuration file: every element must
/// be one valid symbol (`AA PL` is refused, not read as two), none may be empty
/// (`AAPL,,MSFT`), and none may name a symbol already listed under any spelling
/// (`AAPL,aapl`, `BRK.B,BRK-B`). The board's add-symbol prompt stays lenient
/// (`Symbol.parseList`).
public enum SymbolList {
    public static func parse(_ text: String) throws(SymbolListError) -> [Symbol] {
        guard !text.trimmingBlanks().isEmpty else {
            throw SymbolListError(text: text, reason: "it names no symbol; give one or more separated by commas, like AAPL,MSFT")
        }
        let elements = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var symbols: [Symbol] = []
        var spellings: [Symbol: String] = [:]
        for (index, element) in elements.enumerated() {
            let position = "element \(index + 1) of \(elements.count)"
            guard !element.trimmingBlanks().isEmpty else {
                throw SymbolListError(text: text, reason: "\(position) is empty (a comma too many?)")
            }
            let symbol: Symbol
            do { symbol = try Symbol(element) } catch {
                let hint = element.trimmingBlanks().contains(where: \.isWhitespace) ? "; separate symbols with commas" : ""
                throw SymbolListError(text: text, reason: "\(position): \(error.description)\(hint)")
            }
            if let first = spellings[symbol] {
                let how = first == element ? "'\(element)'" : "as '\(first)' and '\(element)'"
                throw SymbolListError(text: text, reason: "\(symbol) is listed twice (\(how)); remove one")
            }
            spellings[symbol] = element
            symbols.append(symbol)
        }
        return symbols
    }
}

/// A symbol list that could not be read, with the input and what is wrong.
public struct SymbolListError: Error, Sendable, Equatable, CustomStringConvertible {
    package let text: String
    package let reason: String

    public var description: String { "'\(text)': \(reason)" }
}
