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

    /// Fixed decimals without grouping, correctly rounded from the exact binary
    /// value. C's formatter rather than Foundation's format styles: the board
    /// formats thousands of numbers a second and those cost microseconds each.
    /// (The numeric locale stays "C": ticktop never calls setlocale for LC_NUMERIC.)
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let digits = Int32(min(max(digits, 0), 12))
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
