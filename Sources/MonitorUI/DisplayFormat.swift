import Collector
import Foundation

/// How numbers, ages and volumes are written on screen and in `--once` text.
/// One place, so the board, the health panel and the text report agree.
public enum DisplayFormat {
    /// A price with precision fitting its size and asset class: `189.42`, `1.08123`, `0.004512`.
    package static func price(_ value: Double?, assetClass: AssetClass? = nil) -> String {
        guard let value else { return "-" }
        guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
        return fixed(value, decimals(forPrice: value, assetClass: assetClass))
    }

    /// A signed change or spread written with the precision of the price it belongs to:
    /// `+1.25`, `-0.06` for a 178.80 stock, `-0.00042` for EURUSD.
    package static func change(_ value: Double?, price: Double?, assetClass: AssetClass? = nil) -> String {
        guard let value else { return "-" }
        guard value.isFinite else { return value.isNaN ? "NaN" : "inf" }
        let digits = decimals(forPrice: price ?? value, assetClass: assetClass)
        return (value < 0 ? "-" : "+") + fixed(abs(value), digits)
    }

    /// Decimals shown for prices of this size: FX 5 (3 above 20, e.g. USDJPY), 2 from 1 up, 6 below 1.
    package static func decimals(forPrice value: Double, assetClass: AssetClass?) -> Int {
        if assetClass == .fx { return abs(value) >= 20 ? 3 : 5 }
        return abs(value) >= 1 || value == 0 ? 2 : 6
    }

    /// A signed percentage with two decimals: `+0.66%`.
    package static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return (value < 0 ? "-" : "+") + fixed(abs(value), 2) + "%"
    }

    /// A volume in short form: `950`, `12.3K`, `4.56M`, `1.20B`.
    package static func volume(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        let magnitude = abs(value)
        switch magnitude {
        case ..<1_000: return magnitude >= 10 || magnitude == magnitude.rounded() ? fixed(value, 0) : fixed(value, 2)
        case ..<1_000_000: return fixed(value / 1_000, 1) + "K"
        case ..<1_000_000_000: return fixed(value / 1_000_000, 2) + "M"
        default: return fixed(value / 1_000_000_000, 2) + "B"
        }
    }

    /// A count with thousands separators: `65,442`.
    public static func count(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// An age in its largest whole unit: `0s`, `2s`, `14m`, `3h`, `2d`.
    package static func age(_ duration: Duration?) -> String {
        duration?.ageText ?? "-"
    }

    /// Milliseconds with one decimal below 10 ms: `3.2ms`, `45ms`.
    package static func milliseconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return (value < 10 ? fixed(value, 1) : fixed(value, 0)) + "ms"
    }

    /// A byte count in binary units: `512 B`, `1.5 KiB`, `12.3 MiB`, `2.0 GiB`.
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : fixed(value, 1) + " " + units[unit]
    }

    /// Fixed decimals without grouping (at most 12), correctly rounded from the exact binary
    /// value as C's printf does (ties to even). Integer arithmetic for the numbers a board
    /// shows, C's formatter beyond them; never Foundation's format styles: the board formats
    /// thousands of numbers a second and those cost microseconds each.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let digits = min(max(digits, 0), 12)
        return exactFixed(value, digits) ?? printfFixed(value, digits)
    }

    private static let powersOfTen: [UInt128] = (0...12).map { exponent in (0..<exponent).reduce(1) { power, _ in power * 10 } }

    /// `fixed` in integer arithmetic: `value` is significand x 2^exponent exactly, so
    /// value x 10^digits is rounded to an integer with one shift (ties to even), and its
    /// decimal digits are written with the point put in. Nil when that integer does not fit in
    /// 64 bits (|value| of 2^53 and more, or many digits of a large value).
    package static func exactFixed(_ value: Double, _ digits: Int) -> String? {
        let magnitude = value.magnitude
        guard magnitude < 0x1p53, (0...12).contains(digits) else { return nil }
        var scaled: UInt128 = 0
        if magnitude != 0 {
            let significand = UInt128(magnitude.significandBitPattern | (magnitude.isNormal ? 1 << 52 : 0))
            // Below 2^53 the last bit of the significand is worth 2^exponent with exponent <= 0.
            let shift = 52 - (magnitude.isNormal ? Int(magnitude.exponent) : -1022)
            let product = significand * powersOfTen[digits]  // below 2^53 x 10^12 < 2^93
            if shift == 0 {
                scaled = product
            } else if shift < 100 {
                let quotient = product >> shift
                let remainder = product - (quotient << shift)
                let half = UInt128(1) << (shift - 1)
                scaled = remainder > half || (remainder == half && quotient & 1 == 1) ? quotient + 1 : quotient
            }  // else below half of the last digit: 0
        }
        guard scaled <= UInt128(UInt64.max) else { return nil }
        var number = UInt64(scaled)
        // "-0.00" reads as a loss where there is none: a negative rounded to zero has no sign.
        let negative = value < 0 && number != 0
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var index = buffer.count
            for _ in 0..<digits {
                index -= 1
                buffer[index] = 48 + UInt8(number % 10)
                number /= 10
            }
            if digits > 0 {
                index -= 1
                buffer[index] = UInt8(ascii: ".")
            }
            repeat {
                index -= 1
                buffer[index] = 48 + UInt8(number % 10)
                number /= 10
            } while number > 0
            if negative {
                index -= 1
                buffer[index] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeMutableBufferPointer(rebasing: buffer[index...]), as: UTF8.self)
        }
    }

    /// `fixed` by C's formatter (the numeric locale stays "C": ticktop never calls setlocale
    /// for LC_NUMERIC).
    package static func printfFixed(_ value: Double, _ digits: Int) -> String {
        let digits = Int32(digits)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let count = withVaList([digits, value]) { vsnprintf(buffer.baseAddress!, 64, "%.*f", $0) }
            guard count > 0, count < 64 else { return String(value) }
            let text = String(cString: buffer.baseAddress!)
            // "-0.00" reads as a loss where there is none.
            return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." })
                ? String(text.dropFirst()) : text
        }
    }
}
