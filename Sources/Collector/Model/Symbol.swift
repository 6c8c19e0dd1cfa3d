/// A validated, normalised instrument symbol.
///
/// Accepted spellings (case-insensitive, surrounding blanks ignored):
/// - equities `AAPL`, `BRK.B` or `BRK-B` (share class, normalised to `BRK.B`);
/// - indices `^GSPC`;
/// - FX pairs `EURUSD=X`;
/// - crypto pairs `BTC-USD` or `BTC/USD` (normalised to `BTC-USD`).
public struct Symbol: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The normalised spelling, e.g. `BRK.B`, `BTC-USD`.
    public let rawValue: String
    public let assetClass: AssetClass

    /// Quote currencies that make `XXX-YYY` a crypto pair rather than a share class.
    static let cryptoQuoteCurrencies: Set<String> = [
        "USD", "USDT", "USDC", "EUR", "GBP", "JPY", "BTC", "ETH", "AUD", "CAD"
    ]

    public init(_ text: String) throws(SymbolError) {
        let trimmed = text.trimmingBlanks()
        guard !trimmed.isEmpty else { throw SymbolError(input: text, reason: "it is empty") }
        guard trimmed.count <= 20 else {
            throw SymbolError(input: text, reason: "it is longer than 20 characters")
        }
        let upper = trimmed.uppercased()
        if let bad = upper.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "^.-/=".contains($0))) }) {
            let what = bad == " " ? "a space" : "the character '\(bad)'"
            throw SymbolError(input: text, reason: "it contains \(what)")
        }
        (rawValue, assetClass) = try Symbol.classify(upper, input: text)
    }

    /// Parses a comma- or blank-separated list, e.g. `AAPL,MSFT BTC-USD`; duplicates are dropped.
    public static func parseList(_ text: String) throws(SymbolError) -> [Symbol] {
        var result: [Symbol] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            let symbol = try Symbol(String(part))
            if !result.contains(symbol) { result.append(symbol) }
        }
        guard !result.isEmpty else { throw SymbolError(input: text, reason: "it names no symbol") }
        return result
    }

    private static func classify(_ s: String, input: String) throws(SymbolError) -> (String, AssetClass) {
        func isAlnum(_ part: Substring, _ range: ClosedRange<Int>) -> Bool {
            range.contains(part.count) && part.allSatisfy { $0.isLetter || $0.isNumber }
        }
        func isLetters(_ part: Substring, _ range: ClosedRange<Int>) -> Bool {
            range.contains(part.count) && part.allSatisfy(\.isLetter)
        }
        if s.hasPrefix("^") {
            let body = s.dropFirst()
            guard isAlnum(body, 1...10) else {
                throw SymbolError(input: input, reason: "an index is ^ followed by 1 to 10 letters or digits, like ^GSPC")
            }
            return (s, .index)
        }
        if s.hasSuffix("=X") {
            let pair = s.dropLast(2)
            guard isLetters(pair, 6...6) else {
                throw SymbolError(input: input, reason: "an FX pair is two 3-letter currency codes then =X, like EURUSD=X")
            }
            return (s, .fx)
        }
        if s.contains("=") || s.filter({ "-/.".contains($0) }).count > 1 || s.contains("^") {
            throw SymbolError(input: input, reason: "it mixes separators in a way no instrument uses")
        }
        if let separator = s.firstIndex(where: { $0 == "-" || $0 == "/" }) {
            let base = s[..<separator]
            let quote = s[s.index(after: separator)...]
            if cryptoQuoteCurrencies.contains(String(quote)) {
                guard isAlnum(base, 2...10) else {
                    throw SymbolError(
                        input: input, reason: "a crypto pair is a 2 to 10 character asset then a currency, like BTC-USD")
                }
                return ("\(base)-\(quote)", .crypto)
            }
            guard s[separator] == "-" else {
                throw SymbolError(
                    input: input,
                    reason:
                        "'\(quote)' is not a currency this build knows for a crypto pair (\(cryptoQuoteCurrencies.sorted().joined(separator: ", ")))"
                )
            }
            return try equity(base: base, shareClass: quote, input: input)
        }
        if let dot = s.firstIndex(of: ".") {
            return try equity(base: s[..<dot], shareClass: s[s.index(after: dot)...], input: input)
        }
        return try equity(base: Substring(s), shareClass: nil, input: input)
    }

    private static func equity(base: Substring, shareClass: Substring?, input: String) throws(SymbolError) -> (String, AssetClass)
    {
        guard (1...6).contains(base.count), base.first?.isLetter == true,
            base.allSatisfy({ $0.isLetter || $0.isNumber })
        else {
            throw SymbolError(
                input: input, reason: "an equity ticker is 1 to 6 letters or digits starting with a letter, like AAPL")
        }
        guard let shareClass else { return (String(base), .equity) }
        guard (1...2).contains(shareClass.count), shareClass.allSatisfy(\.isLetter) else {
            throw SymbolError(input: input, reason: "a share class is 1 or 2 letters after the ticker, like BRK.B")
        }
        return ("\(base).\(shareClass)", .equity)
    }

    public var description: String { rawValue }

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The spelling decides the asset class, so two symbols are equal when their spellings are.
    public static func == (lhs: Symbol, rhs: Symbol) -> Bool { lhs.rawValue == rhs.rawValue }

    /// Symbols key the hot path's dictionaries (several look-ups per quote): the spelling is
    /// hashed as one word, far cheaper than `String`'s hashing of its bytes. Exact, because a
    /// symbol is ASCII (`init` refuses anything else): equal spellings have equal bytes.
    public func hash(into hasher: inout Hasher) {
        var word: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in rawValue.utf8 { word = (word ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hasher.combine(word)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A symbol that could not be parsed, with the input and the reason.
public struct SymbolError: Error, Sendable, Equatable, CustomStringConvertible {
    package let input: String
    public let reason: String

    public var description: String {
        "'\(input)' is not a valid symbol: \(reason) (expected e.g. AAPL, BRK.B, ^GSPC, EURUSD=X, BTC-USD)"
    }
}

extension String {
    func trimmingBlanks() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
