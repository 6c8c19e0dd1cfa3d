/// The time forms replay files use, parsed exactly (integers, never through `Double` for the
/// integer part).
///
/// - RFC 3339 with 0 to 9 fractional digits and `Z` or an offset (`2024-03-01T14:30:00.123Z`,
///   `2024-03-01 09:30:00-05:00`), or a plain date `2024-03-01`, which means UTC midnight (how
///   ticktop stamps daily bars).
/// - Unix time: digits, optionally with a fraction, whose unit is told by magnitude: below 10^11
///   it is seconds (10^11 s is the year 5138), below 10^14 milliseconds, below 10^17
///   microseconds, else nanoseconds. Market data never has milliseconds below 10^11 (before
///   March 1973) or nanoseconds below 10^17 (before 1973), so the rule does not misread real files.
///   Fraction digits finer than a nanosecond are dropped.
///
/// Times outside `Timestamp.supportedRange` (1678-01-01 to 2261-12-31 UTC) are rejected.
enum ReplayTime {
    /// The recorded delay from `time` to `received` (ns). Two times more than 292 years apart do
    /// not fit: the row is bad (no recording is that late).
    static func delay(from time: Timestamp, to received: Timestamp) throws(ReplayRowError) -> Int64 {
        let (delay, overflow) = received.nanoseconds.subtractingReportingOverflow(time.nanoseconds)
        guard !overflow else {
            throw ReplayRowError("received \(received.iso8601) is centuries away from the time \(time.iso8601)")
        }
        return delay
    }

    /// What a time cell should look like, for messages.
    static let expected =
        "expected RFC 3339 like 2024-03-01T14:30:00Z, a date, or Unix seconds, milliseconds or nanoseconds, from \(Timestamp.supportedRangeText)"

    /// RFC 3339, a date, or Unix time.
    static func parse(_ text: String) -> Timestamp? {
        unix(text) ?? Timestamp(rfc3339: text)
    }

    /// The forms of files without a symbol column (Yahoo, Alpha Vantage, Stooq): a date is UTC
    /// midnight of that date, RFC 3339 with an offset is that instant, and a date and time
    /// without an offset (`2024-03-05 19:55:00`, Alpha Vantage) is New York local time.
    static func parseExchangeLocal(_ text: String) -> Timestamp? {
        unix(text) ?? Timestamp(rfc3339: text) ?? Timestamp(newYorkLocal: text)
    }

    /// Unix time in seconds, milliseconds, microseconds or nanoseconds by magnitude.
    static func unix(_ text: String) -> Timestamp? {
        var whole: Int64 = 0
        var wholeDigits = 0
        var fraction: [Int64] = []
        var inFraction = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "."), !inFraction, wholeDigits > 0 {
                inFraction = true
                continue
            }
            guard byte >= 48 && byte <= 57 else { return nil }
            let digit = Int64(byte - 48)
            if inFraction {
                if fraction.count < 9 { fraction.append(digit) }
                continue
            }
            let (times, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            whole = sum
            wholeDigits += 1
        }
        guard wholeDigits > 0, !inFraction || !fraction.isEmpty else { return nil }
        let (unit, unitDigits): (Int64, Int) =
            switch whole {
            case ..<100_000_000_000: (1_000_000_000, 9)
            case ..<100_000_000_000_000: (1_000_000, 6)
            case ..<100_000_000_000_000_000: (1_000, 3)
            default: (1, 0)
            }
        let (nanoseconds, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        var part: Int64 = 0
        for position in 0..<unitDigits {
            part = part * 10 + (position < fraction.count ? fraction[position] : 0)
        }
        let (total, overflowSum) = nanoseconds.addingReportingOverflow(part)
        guard !overflowSum else { return nil }
        return Timestamp(checkedNanoseconds: total)
    }

    /// Whether `timestamp` is a UTC midnight (how dates are stamped).
    static func isMidnight(_ timestamp: Timestamp) -> Bool {
        timestamp.startOfUTCDay == timestamp
    }
}
