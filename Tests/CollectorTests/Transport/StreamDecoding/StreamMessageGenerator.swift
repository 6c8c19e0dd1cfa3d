import CollectorTestSupport

/// Writes random but valid JSON in every form the grammar allows: strings with random
/// escapes (short, `\uXXXX` in either case, surrogate pairs), numbers written many ways,
/// random whitespace, shuffled members and unknown members of any type and nesting.
/// The values need no expected results: the JSONDecoder reference decides them.
struct StreamMessageGenerator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    // MARK: Randomness

    mutating func chance(_ probability: Double) -> Bool {
        Double(random.next() >> 11) / Double(1 << 53) < probability
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }

    // MARK: Layout

    mutating func space() -> String {
        chance(0.85) ? "" : pick([" ", "  ", "\n", "\t", "\r\n", " \n\t "])
    }

    /// An object from members given as (key, JSON text), shuffled, with `extras` unknown members.
    mutating func object(_ members: [(String, String)], extras: Int = 0) -> String {
        var all = members
        for _ in 0..<extras { all.append((pick(Self.extraKeys), value(depth: 1))) }
        all.shuffle(using: &random)
        let body = all.map { string($0.0) + space() + ":" + space() + $0.1 }
        return "{" + space() + body.joined(separator: space() + "," + space()) + space() + "}"
    }

    mutating func array(_ elements: [String]) -> String {
        "[" + space() + elements.joined(separator: space() + "," + space()) + space() + "]"
    }

    /// Any JSON value, nested up to three levels: what unknown fields hold.
    mutating func value(depth: Int = 0) -> String {
        switch int(0...8) {
        case 0: return string(pick(Self.texts))
        case 1: return decimal()
        case 2: return integer(Int64(int(-1_000...1_000_000)))
        case 3: return pick(["true", "false", "null"])
        case 4 where depth < 3: return array((0..<int(0...4)).map { _ in value(depth: depth + 1) })
        case 5 where depth < 3:
            let members = (0..<int(0...4)).map { _ in (pick(Self.extraKeys), value(depth: depth + 1)) }
            return object(members)
        default: return string(pick(Self.texts) + pick(Self.texts))
        }
    }

    // MARK: Strings

    /// A JSON string literal for `text`, each character escaped or not at random.
    mutating func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += pick(["\\\"", "\\u0022"])
            case "\\": out += pick(["\\\\", "\\u005C", "\\u005c"])
            case "\u{08}": out += pick(["\\b", "\\u0008"])
            case "\u{0C}": out += pick(["\\f", "\\u000C"])
            case "\n": out += pick(["\\n", "\\u000a"])
            case "\r": out += pick(["\\r", "\\u000D"])
            case "\t": out += pick(["\\t", "\\u0009"])
            case "/" where chance(0.3): out += "\\/"
            default:
                if scalar.value < 0x20 || chance(0.05) {
                    out += unicodeEscape(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private mutating func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        func hex(_ unit: UInt32, upper: Bool) -> String {
            let digits = String(unit, radix: 16, uppercase: upper)
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        let upper = chance(0.5)
        guard scalar.value > 0xFFFF else { return hex(scalar.value, upper: upper) }
        let value = scalar.value - 0x10000
        return hex(0xD800 + (value >> 10), upper: upper) + hex(0xDC00 + (value & 0x3FF), upper: upper)
    }

    static let texts = [
        "", "R", "@", "C", "V", "Trading Halt", "ü", "Kurs für Äpfel", "株式会社", "😀📈", "a\"quoted\"b", "back\\slash",
        "tab\tand\nnew line", "\u{0}", "\u{1F}", "/path/to", "\u{7F}", "é", "\u{FEFF}", "\u{10FFFF}", "ｆｕｌｌ", "\u{2028}"
    ]

    /// Keys of unknown members: real ones of other message types, odd spellings, unicode.
    static let extraKeys = [
        "x", "z", "bx", "ax", "tks", "q", "e", "av", "op", "a", "otc", "trfi", "sc", "sm", "T2", "Tt", "SS", "tt", "pp",
        "ᵀ", "ключ", "🔑", "", " ", "t ", "conditions", "updatedBar", "dailyBarz", "statusesX", "messages", "data2"
    ]

    // MARK: Numbers

    /// A price-like number in one of JSON's forms, now and then an extreme or out-of-range one.
    mutating func decimal() -> String {
        if chance(0.03) { return pick(Self.extremeNumbers) }
        let cents = int(1...99_999_999)
        let whole = String(cents / 100)
        let fraction = cents % 100 < 10 ? "0\(cents % 100)" : "\(cents % 100)"
        let digits = String(cents)
        let sign = chance(0.04) ? "-" : ""
        let body: String
        switch int(0...10) {
        case 0, 1: body = "\(whole).\(fraction)"
        case 2: body = "\(cents)e-2"
        case 3: body = "\(cents)E-2"
        case 4 where digits.count > 1:
            body = "\(digits.prefix(1)).\(digits.dropFirst())e\(chance(0.5) ? "+" : "")\(digits.count - 3)"
        case 5: body = whole
        case 6: body = "\(whole).0"
        case 7: body = "\(whole).\(fraction)000000000000000001"
        case 8: body = "0.000\(digits)E\(digits.count + 1)"
        case 9: body = "\(digits)0000000000000000000000e-24"
        default: body = "\(Double(cents) / 100)"
        }
        return sign + body
    }

    /// An integer-valued number (a count, code, id or time) in one of JSON's forms.
    mutating func integer(_ value: Int64) -> String {
        if chance(0.03) { return pick(Self.extremeIntegers) }
        let text = String(value)
        if value == 0 { return pick(["0", "0.0", "0e0", "-0", "0E+5", "0.000"]) }
        switch int(0...9) {
        case 0...4: return text
        case 5: return "\(text).0"
        case 6: return "\(text)e0"
        case 7: return "\(text)00E-2"
        case 8 where value > 9:
            let digits = String(value.magnitude)
            return (value < 0 ? "-" : "") + "\(digits.prefix(1)).\(digits.dropFirst())e\(digits.count - 1)"
        default: return "\(text)0e-1"
        }
    }

    static let extremeNumbers = [
        "0", "-0", "-0.0", "0e400", "5e-324", "4.9406564584124654e-324", "2.2250738585072011e-308", "1.7976931348623157e308",
        "1e400", "-1e400", "1e-400", "9007199254740993", "123456789012345678901234567890", "0.1", "1E22", "1e23",
        "3.141592653589793238462643383279", "8.98846567431158e307", "1.00000000000000011102230246251565e0"
    ]

    static let extremeIntegers = [
        "0", "-0", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1e19",
        "1.5", "9007199254740993.5", "12345678901234567890e-2", "1e-400", "1.0000000000000001", "2e63", "1E2"
    ]

    // MARK: Times

    /// RFC 3339 text with 0 to 9 fractional digits and any offset; now and then an invalid one.
    mutating func rfc3339() -> String {
        if chance(0.02) { return pick(Self.invalidTimes) }
        let year = chance(0.05) ? pick([1678, 1970, 2000, 2100, 2261]) : int(2015...2030)
        let month = int(1...12)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        let date = "\(year)-\(Self.two(month))-\(Self.two(int(1...days)))"
        if chance(0.02) { return date }
        var text = date + (chance(0.95) ? "T" : pick(["t", " "]))
        text += "\(Self.two(int(0...23))):\(Self.two(int(0...59))):\(Self.two(int(0...(chance(0.01) ? 60 : 59))))"
        let fractionDigits = int(0...9)
        if fractionDigits > 0 { text += "." + (0..<fractionDigits).map { _ in String(int(0...9)) }.joined() }
        if chance(0.8) { return text + (chance(0.95) ? "Z" : "z") }
        return text + pick(["+", "-"]) + "\(Self.two(int(0...23))):\(Self.two(int(0...59)))"
    }

    static let invalidTimes = [
        "", "garbage", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T14:30:00",
        "2024-03-01T14:30:00.Z", "2024-03-01T14:30:00.1234567891Z", "9999-12-31T23:59:59Z", "2262-06-01T00:00:00Z",
        "1677-01-01T00:00:00Z", "2024-03-01T14:30:00+24:00", "2024-3-1T14:30:00Z", "2024-03-01T14:30Z"
    ]

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
