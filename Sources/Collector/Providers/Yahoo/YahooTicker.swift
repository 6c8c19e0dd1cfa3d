/// Our symbols spelled the way Yahoo spells them.
///
/// Indices (`^GSPC`), FX (`EURUSD=X`) and crypto (`BTC-USD`) are the same. Share classes use a
/// dash at Yahoo (`BRK.B` → `BRK-B`), while foreign listings keep a dot and an exchange suffix
/// (`VOD.L`, `BHP.AX`, `SHOP.TO`): a two-letter suffix, or one of Yahoo's one-letter exchange
/// suffixes (`.L` London, `.T` Tokyo, `.F` Frankfurt, `.V` TSX Venture), is taken as an exchange.
enum YahooTicker {
    static let oneLetterExchangeSuffixes: Set<String> = ["L", "T", "F", "V"]

    static func ticker(for symbol: Symbol) -> String {
        let raw = symbol.rawValue
        guard symbol.assetClass == .equity, let dot = raw.lastIndex(of: ".") else { return raw }
        let suffix = raw[raw.index(after: dot)...]
        if suffix.count >= 2 || oneLetterExchangeSuffixes.contains(String(suffix)) { return raw }
        return String(raw[..<dot]) + "-" + String(suffix)
    }

    /// The ticker as a path segment: `^GSPC` → `%5EGSPC`.
    static func pathSegment(for symbol: Symbol) -> String {
        var segment = ""
        for byte in ticker(for: symbol).utf8 {
            let character = Character(Unicode.Scalar(byte))
            if character.isASCII && (character.isLetter || character.isNumber || "-._~=".contains(character)) {
                segment.append(character)
            } else {
                segment += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return segment
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
