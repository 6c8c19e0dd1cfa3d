/// Converts validated JSON number text to `Double` and `Int64` with the results Foundation's
/// `JSONDecoder` gives, with one deliberate exception: it refuses some zeros written with an
/// exponent as doubles (`0e1`, `0.00e1`; its true-zero check reads the last bytes backwards),
/// which are 0 here.
///
/// Doubles are correctly rounded. Up to 15 significant digits with a decimal exponent within
/// ±22 take Clinger's fast path: the digits and the power of ten are both exact doubles, so
/// one IEEE multiplication or division rounds once, correctly. Anything else goes to the
/// standard library's correctly rounded `Double(String)`. (Accumulating digits in a `Double`
/// would round at every step and miss by an ulp.)
enum JSONNumber {
    /// The nearest `Double`; nil when the value overflows to infinity or a non-zero value
    /// underflows to zero, both of which `JSONDecoder` refuses.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        let parts = Parts(text)
        let value = parts.fastDouble ?? slowDouble(text)
        guard value.isFinite, value != 0 || !parts.hasNonZeroDigit else { return nil }
        return value
    }

    /// The `Int64` `JSONDecoder` gives: integer text exactly; other forms (`1.0`, `1e2`) when
    /// the nearest double is a whole number, below 2^53 taken from the double and above it
    /// by Foundation's decimal rule (`truncatedDecimal`).
    static func int64(_ text: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> Int64? {
        if isInteger { return exactInteger(text) }
        let parts = Parts(text)
        let double = parts.fastDouble ?? slowDouble(text)
        guard let value = Int64(exactly: double) else { return nil }
        if double.magnitude < 0x1p53 { return value }
        return truncatedDecimal(text)
    }

    /// Sign, up to 19 significant digits and a decimal exponent.
    private struct Parts {
        var negative = false
        var mantissa: UInt64 = 0
        var digits = 0
        /// More than 19 significant digits: `mantissa` holds only the first 19.
        var truncated = false
        var exponent = 0
        var hasNonZeroDigit = false

        init(_ text: UnsafeBufferPointer<UInt8>) {
            var index = 0
            if text[0] == UInt8(ascii: "-") {
                negative = true
                index = 1
            }
            var inFraction = false
            while index < text.count {
                let byte = text[index]
                if byte == UInt8(ascii: ".") {
                    inFraction = true
                } else if byte | 0x20 == UInt8(ascii: "e") {
                    exponent += JSONNumber.exponent(text, from: index + 1)
                    break
                } else {
                    add(digit: byte - UInt8(ascii: "0"), inFraction: inFraction)
                }
                index += 1
            }
        }

        private mutating func add(digit: UInt8, inFraction: Bool) {
            if digit != 0 { hasNonZeroDigit = true }
            if digits == 0 && digit == 0 {
                if inFraction { exponent -= 1 }  // a leading zero: 0.001
            } else if digits < 19 {
                mantissa = mantissa * 10 + UInt64(digit)
                digits += 1
                if inFraction { exponent -= 1 }
            } else {
                truncated = true
                if !inFraction { exponent += 1 }
            }
        }

        /// Clinger's fast path, or nil when the value needs the full algorithm.
        var fastDouble: Double? {
            if digits == 0 { return negative ? -0.0 : 0.0 }
            guard !truncated, digits <= 15, exponent >= -22, exponent <= 22 else { return nil }
            var value = Double(mantissa)
            value = exponent >= 0 ? value * powersOfTen[exponent] : value / powersOfTen[-exponent]
            return negative ? -value : value
        }
    }

    /// The exponent after `e` at `start`, clamped far outside any double's range.
    private static func exponent(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        var negative = false
        if text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var value = 0
        while index < text.count {
            value = min(value * 10 + Int(text[index] - UInt8(ascii: "0")), 1_000_000)
            index += 1
        }
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    ]

    /// The standard library's correctly rounded conversion (infinity on overflow).
    private static func slowDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }

    /// Integer text (no fraction, no exponent) in range, else nil.
    private static func exactInteger(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = text[0] == UInt8(ascii: "-")
        var magnitude: UInt64 = 0
        for index in (negative ? 1 : 0)..<text.count {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(text[index] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative {
            return magnitude == 1 << 63 ? Int64.min : Int64(exactly: magnitude).map { -$0 }
        }
        return Int64(exactly: magnitude)
    }

    /// Foundation's `Decimal`-to-integer rule, used above 2^53: the significant digits
    /// without trailing zeros must fit a `UInt64`; the decimal exponent then multiplies (with
    /// overflow checks) or divides (truncating) by ten. So `12345678901234567890e-2` gives
    /// 123456789012345678 but `89807698810179031.091` (20 digits past `UInt64.max`) nothing;
    /// -2^63 is refused too.
    private static func truncatedDecimal(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = text[0] == UInt8(ascii: "-")
        var significand: [UInt8] = []
        var exponent = 0
        var index = negative ? 1 : 0
        var inFraction = false
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte | 0x20 == UInt8(ascii: "e") {
                exponent += Self.exponent(text, from: index + 1)
                break
            } else {
                if !(significand.isEmpty && byte == UInt8(ascii: "0")) { significand.append(byte - UInt8(ascii: "0")) }
                if inFraction { exponent -= 1 }
            }
            index += 1
        }
        while significand.last == 0 {
            significand.removeLast()
            exponent += 1
        }
        var magnitude: UInt64 = 0
        for digit in significand {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if exponent < 0 {
            for _ in 0..<min(-exponent, 20) { magnitude /= 10 }
        } else {
            for _ in 0..<exponent {
                let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                magnitude = times10
            }
        }
        guard let value = Int64(exactly: magnitude) else { return nil }
        return negative ? -value : value
    }
}
