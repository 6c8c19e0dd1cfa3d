/// Arithmetic on values that providers send as decimal text (prices, sizes, volumes), giving
/// the double nearest to the exact decimal result: the value `Double(String)` gives for it, so
/// it prints back as a person would write it. Plain binary arithmetic does not: the midpoint of
/// 211.41 and 211.43 is 211.42000000000002, and 0.1 + 0.2 is 0.30000000000000004.
///
/// A decoded double carries its decimal places in its shortest text (211.42: two). The result
/// is worked out on integers scaled by that precision (the larger of the operands'), which is
/// exact, and divided once, which rounds once. Values beyond the exact range of a double
/// (2^53 in scaled units) or with more than 15 decimal places fall back to binary arithmetic.
package enum DecimalArithmetic {
    /// The most decimal places scaled arithmetic takes (10^15 is still exact in a double).
    static let maximumPlaces = 15

    /// The decimal places of `value` as it was sent (`211.42`: 2, `1e-05`: 5): the fewest places
    /// `p` whose scaled integer `round(value × 10^p)`, divided back, is `value` again (both steps
    /// exact or rounded once, so this finds the decimal the double came from without formatting
    /// text: it runs for every quote's midpoint). 0 at and beyond 2^53, where every double is
    /// whole; nil for a value that is not finite or has more places than can be scaled exactly
    /// (binary noise such as 211.42000000000002, or a computed ratio).
    package static func places(of value: Double) -> Int? {
        decimal(value)?.places
    }

    /// `places(of: value)` with what finding it worked out: the scale 10^places and the scaled
    /// integer `round(value × scale)`, so arithmetic on the value need not work them out again.
    private static func decimal(_ value: Double) -> (places: Int, scale: Double, units: Double)? {
        guard value.isFinite else { return nil }
        if abs(value) >= exactLimit { return (0, 1, value) }
        var scale = 1.0
        for places in 0...maximumPlaces {
            let units = (value * scale).rounded()
            guard abs(units) < exactLimit else { return nil }
            if units / scale == value { return (places, scale, units) }
            scale *= 10
        }
        return nil
    }

    /// `a + b`, as the exact decimal sum.
    package static func sum(_ a: Double, _ b: Double) -> Double {
        scaled(a, b, divisor: 1, +) ?? a + b
    }

    /// The sum of `values`, as the exact decimal sum (0 for none).
    package static func sum<S: Sequence<Double>>(_ values: S) -> Double {
        values.reduce(0) { sum($0, $1) }
    }

    /// `a - b`, as the exact decimal difference (a spread, a change).
    package static func difference(_ a: Double, _ b: Double) -> Double {
        scaled(a, b, divisor: 1, -) ?? a - b
    }

    /// `(a + b) / 2`, as the exact decimal midpoint (rounded once, to the nearest double).
    package static func midpoint(_ a: Double, _ b: Double) -> Double {
        scaled(a, b, divisor: 2, +) ?? (a + b) / 2
    }

    /// `value` rounded to `places` decimals (half away from zero), nearest double to the result;
    /// `value` itself when it has no more places or is too large to scale exactly.
    package static func rounded(_ value: Double, places: Int) -> Double {
        // No places found (nil) means more than can be scaled: more than `places` as well.
        guard value.isFinite, places >= 0, places <= maximumPlaces, self.places(of: value) ?? .max > places else { return value }
        let scale = power(places)
        let units = (value * scale).rounded()
        guard abs(units) < exactLimit else { return value }
        return units / scale
    }

    /// 2^53: integers below it are exact in a double.
    static let exactLimit = 9_007_199_254_740_992.0

    /// `combine` applied to `a` and `b` as integers scaled to their common precision, the result
    /// divided by that scale times `divisor`; nil when they cannot be scaled exactly.
    private static func scaled(_ a: Double, _ b: Double, divisor: Double, _ combine: (Double, Double) -> Double) -> Double? {
        guard let decimalA = decimal(a), let decimalB = decimal(b) else { return nil }
        // The larger precision; only an operand with fewer places is scaled to it anew.
        let scale = max(decimalA.scale, decimalB.scale)
        let unitsA = decimalA.scale == scale ? decimalA.units : (a * scale).rounded()
        let unitsB = decimalB.scale == scale ? decimalB.units : (b * scale).rounded()
        // Integers below 2^52 each: their sum or difference is an exact integer below 2^53.
        guard abs(unitsA) < exactLimit / 2, abs(unitsB) < exactLimit / 2 else { return nil }
        return combine(unitsA, unitsB) / (scale * divisor)
    }

    private static func power(_ places: Int) -> Double {
        var result = 1.0
        for _ in 0..<places { result *= 10 }
        return result
    }
}
