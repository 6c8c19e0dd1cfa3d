import TOMLKit

/// Every TOML document (configuration, theme, watchlist file) reaches TOMLKit through here.
///
/// TOMLKit's parser (toml++ 3) asserts instead of reporting a table header whose name starts
/// with a character no key can start with (`[!x]`, `[[ {x]]`, `[` before a line break), or a
/// `}` inside an array (`x = [}]`): the process aborts. `table(_:)` reports these as syntax
/// errors first.
public enum TOMLDocument {
    /// A header or bracket TOMLKit cannot take, located like TOMLKit's own errors (1-based).
    public struct HeaderError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var description: String
    }

    /// TOMLKit's table for `text`. Throws `HeaderError`, or TOMLKit's `TOMLParseError`.
    public static func table(_ text: String) throws -> TOMLTable {
        try checkHeaders(text)
        return try TOMLTable(string: text)
    }

    /// Finds table headers (a `[` first on a line outside strings and arrays) and checks the
    /// character that starts the name.
    static func checkHeaders(_ text: String) throws(HeaderError) {
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var scanner = Scanner()
        for (number, line) in lines.enumerated() {
            let bytes = Array(line)
            if scanner.atTopLevel, let start = bytes.firstIndex(where: { $0 != space && $0 != tab }),
                bytes[start] == UInt8(ascii: "[")
            {
                try checkHeader(bytes, from: start, line: number + 1, isLast: number == lines.count - 1)
                continue
            }
            try scanner.scan(bytes, line: number + 1)
        }
    }

    private static func checkHeader(_ bytes: [UInt8], from start: Int, line: Int, isLast: Bool) throws(HeaderError) {
        var index = start + 1
        let skipped = skipBlanks(bytes, &index)
        if !skipped, index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            index += 1
            _ = skipBlanks(bytes, &index)
        }
        guard index < bytes.count else {
            if isLast { return }  // TOMLKit reports the end of the document itself
            throw HeaderError(line: line, column: index + 1, description: "expected a table name after '[', saw a line break")
        }
        let byte = bytes[index]
        guard !isKeyStart(byte) else { return }
        let shown = byte >= 0x20 && byte < 0x7f ? String(UnicodeScalar(byte)) : "a byte 0x\(String(byte, radix: 16))"
        throw HeaderError(line: line, column: index + 1, description: "expected a table name after '[', saw '\(shown)'")
    }

    /// Letters, digits, `_`, `-` (a bare key), a quote (a quoted key), or `]` (TOMLKit reports a blank name).
    private static func isKeyStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            true
        default: false
        }
    }

    private static func skipBlanks(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        let start = index
        while index < bytes.count, bytes[index] == space || bytes[index] == tab { index += 1 }
        return index > start
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// Follows multi-line strings and open arrays or inline tables across lines, so a `[` that
    /// starts a line inside them is not taken for a header.
    private struct Scanner {
        var inBasicString = false
        var inLiteralString = false
        /// The open `[` and `{` of values, innermost last.
        var open: [UInt8] = []

        var atTopLevel: Bool { !inBasicString && !inLiteralString && open.isEmpty }

        mutating func scan(_ bytes: [UInt8], line: Int) throws(HeaderError) {
            var index = 0
            func starts(_ quote: UInt8) -> Bool {
                index + 2 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote && bytes[index + 2] == quote
            }
            let doubleQuote = UInt8(ascii: "\"")
            let singleQuote = UInt8(ascii: "'")
            while index < bytes.count {
                if inBasicString {
                    if starts(doubleQuote) {
                        inBasicString = false
                        index += 3
                    } else {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    continue
                }
                if inLiteralString {
                    if starts(singleQuote) {
                        inLiteralString = false
                        index += 3
                    } else {
                        index += 1
                    }
                    continue
                }
                switch bytes[index] {
                case UInt8(ascii: "#"): return
                case doubleQuote where starts(doubleQuote):
                    inBasicString = true
                    index += 3
                    continue
                case singleQuote where starts(singleQuote):
                    inLiteralString = true
                    index += 3
                    continue
                case doubleQuote:
                    index += 1
                    while index < bytes.count, bytes[index] != doubleQuote {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                case singleQuote:
                    index += 1
                    while index < bytes.count, bytes[index] != singleQuote { index += 1 }
                case UInt8(ascii: "["), UInt8(ascii: "{"): open.append(bytes[index])
                case UInt8(ascii: "}") where open.last == UInt8(ascii: "["):
                    throw HeaderError(line: line, column: index + 1, description: "expected a value or ']' in the array, saw '}'")
                case UInt8(ascii: "]"), UInt8(ascii: "}"): _ = open.popLast()
                default: break
                }
                index += 1
            }
        }
    }
}
