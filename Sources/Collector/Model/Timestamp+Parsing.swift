import Foundation

/// Exact parsing of the timestamp forms providers send (see the cheat sheet in
/// `provider-formats.md`): RFC 3339 with 0 to 9 fractional digits, plain dates,
/// and New York local times without an offset. No formatter is involved, so
/// nanoseconds survive and parsing is cheap.
extension Timestamp {
    /// Parses `2024-03-01T14:30:00Z`, `...:00.722539521Z`, `...:00-05:00` or a date `2024-03-01`
    /// (UTC midnight). Returns nil for anything else, including impossible dates and instants
    /// outside `supportedRange` (1678 to 2261).
    public init?(rfc3339 text: some StringProtocol) {
        var text = String(text)
        guard let value = text.withUTF8({ Timestamp(rfc3339UTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    /// The same as `init?(rfc3339:)` over UTF-8 bytes, without copying them: what stream
    /// decoders call with the bytes of a JSON string.
    package init?(rfc3339UTF8 bytes: UnsafeRawBufferPointer) {
        var scanner = DigitScanner(bytes)
        guard let (year, month, day) = scanner.date() else { return nil }
        guard let midnight = Timestamp.utcMidnight(year: year, month: month, day: day) else { return nil }
        if scanner.atEnd {
            self = midnight
            return
        }
        guard scanner.take(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
            let (hour, minute, second) = scanner.time()
        else { return nil }
        var fraction: Int64 = 0
        if scanner.take(UInt8(ascii: ".")) {
            var digits = 0
            while let digit = scanner.digit() {
                guard digits < 9 else { return nil }
                fraction = fraction * 10 + Int64(digit)
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { fraction *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if scanner.take(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
        } else if let sign = scanner.sign() {
            guard let h = scanner.number(2), scanner.take(UInt8(ascii: ":")), let m = scanner.number(2), h < 24, m < 60
            else { return nil }
            offsetSeconds = sign * Int64(h * 3600 + m * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let seconds = Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        let (sum, overflow) = midnight.nanoseconds.addingReportingOverflow(seconds * 1_000_000_000 + fraction)
        guard !overflow, let time = Timestamp(checkedNanoseconds: sum) else { return nil }
        self = time
    }

    /// Parses New York wall-clock time without an offset, `2024-03-01 16:00:00`, `2024-03-01 16:00`
    /// or a date `2024-03-01` (midnight), following America/New_York's daylight-saving rules.
    /// Nil for anything else, including times outside `supportedRange`.
    package init?(newYorkLocal text: some StringProtocol) {
        var text = String(text)
        guard let value = text.withUTF8({ Timestamp(newYorkLocalUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    private init?(newYorkLocalUTF8 bytes: UnsafeRawBufferPointer) {
        var scanner = DigitScanner(bytes)
        guard let (year, month, day) = scanner.date() else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        if !scanner.atEnd {
            guard scanner.take(UInt8(ascii: " "), UInt8(ascii: "T")), let h = scanner.number(2),
                scanner.take(UInt8(ascii: ":")), let m = scanner.number(2)
            else { return nil }
            hour = h
            minute = m
            if scanner.take(UInt8(ascii: ":")) {
                guard let s = scanner.number(2) else { return nil }
                second = s
            }
            guard scanner.atEnd, hour < 24, minute < 60, second < 61 else { return nil }
        }
        guard let value = Timestamp.newYork(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        self = value
    }

    /// UTC midnight of a calendar date; nil for an impossible date or one outside what
    /// `Int64` nanoseconds hold.
    package static func utcMidnight(year: Int, month: Int, day: Int) -> Timestamp? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        guard (1678...2261).contains(year) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Timestamp(seconds: (era * 146_097 + doe - 719_468) * 86_400)
    }

    /// A New York wall-clock time as an instant (a time skipped by the spring change moves forward an hour);
    /// nil for an impossible date or a time outside `supportedRange`.
    package static func newYork(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0)
        -> Timestamp?
    {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        guard (1678...2261).contains(year) else { return nil }
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return MarketSession.newYork.date(from: parts).flatMap { Timestamp(exactly: $0) }
    }

    /// The New York trading day this instant falls on, as the UTC midnight of that date:
    /// how ticktop stamps daily bars, whatever time of day the provider used.
    package var newYorkTradingDay: Timestamp {
        let parts = MarketSession.newYork.dateComponents([.year, .month, .day], from: date)
        return Timestamp.utcMidnight(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? self
    }

    /// `2024-03-01T14:30:00Z`: whole seconds, for request parameters.
    public var rfc3339Seconds: String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }

    /// `2024-03-01`, the UTC date, for request parameters.
    package var utcDateText: String { String(rfc3339Seconds.prefix(10)) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Reads fixed-width ASCII digits and separators from UTF-8 bytes.
private struct DigitScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - 48)
    }

    mutating func number(_ width: Int) -> Int? {
        var value = 0
        for _ in 0..<width {
            guard let d = digit() else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// Takes the next byte when it is one of the given ones.
    mutating func take(_ a: UInt8, _ b: UInt8? = nil, _ c: UInt8? = nil) -> Bool {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        guard byte == a || byte == b || byte == c else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if take(UInt8(ascii: "+")) { return 1 }
        if take(UInt8(ascii: "-")) { return -1 }
        return nil
    }

    mutating func date() -> (Int, Int, Int)? {
        guard let y = number(4), take(UInt8(ascii: "-")), let m = number(2), take(UInt8(ascii: "-")), let d = number(2)
        else { return nil }
        return (y, m, d)
    }

    mutating func time() -> (Int, Int, Int)? {
        guard let h = number(2), take(UInt8(ascii: ":")), let m = number(2), take(UInt8(ascii: ":")), let s = number(2),
            h < 24, m < 60, s < 61
        else { return nil }
        return (h, m, s)
    }
}
