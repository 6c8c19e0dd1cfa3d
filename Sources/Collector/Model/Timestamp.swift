import Foundation

/// A point in time as integer nanoseconds since the Unix epoch (UTC).
///
/// Integers keep comparisons, hashing and storage cheap and exact; `Date`
/// appears only at the edges (formatting, Foundation APIs).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    /// Traps outside ±292 years: only for values known to be in range. Outside data goes
    /// through `init?(checkedSeconds:)`.
    package init(seconds: Int64) { self.nanoseconds = seconds * 1_000_000_000 }
    /// Traps outside ±292 years: only for values known to be in range. Outside data goes
    /// through `init?(checkedMilliseconds:)`.
    package init(milliseconds: Int64) { self.nanoseconds = milliseconds * 1_000_000 }
    /// Traps outside what `Int64` nanoseconds hold: only for dates known to be in range (the
    /// system clock). Outside data goes through `init?(exactly:)`.
    package init(_ date: Date) {
        self.nanoseconds = Int64((date.timeIntervalSince1970 * 1_000_000_000).rounded())
    }

    public static let zero = Timestamp(nanoseconds: 0)

    package var secondsSinceEpoch: Double { Double(nanoseconds) / 1_000_000_000 }
    package var millisecondsSinceEpoch: Int64 { nanoseconds / 1_000_000 }
    package var date: Date { Date(timeIntervalSince1970: secondsSinceEpoch) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanoseconds: lhs.nanoseconds + rhs.nanosecondsValue)
    }
    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanoseconds: lhs.nanoseconds - rhs.nanosecondsValue)
    }
    /// The signed time from `rhs` to `lhs`.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .nanoseconds(lhs.nanoseconds - rhs.nanoseconds)
    }

    /// The start of the UTC day that contains this instant.
    package var startOfUTCDay: Timestamp {
        let day: Int64 = 86_400_000_000_000
        let floored = nanoseconds >= 0 ? nanoseconds / day : (nanoseconds - day + 1) / day
        return Timestamp(nanoseconds: floored * day)
    }

    /// ISO 8601 with millisecond precision in UTC, e.g. `2026-11-25T14:30:00.123Z`.
    public var iso8601: String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The UTC time of day, `HH:MM:SS`, for messages and panels (the board's status line shows
    /// it every frame: worked out from the seconds, not formatted as a date).
    public var clockText: String {
        let second = (nanoseconds - startOfUTCDay.nanoseconds) / 1_000_000_000
        let parts = [second / 3600, second / 60 % 60, second % 60]
        return parts.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    public var description: String { iso8601 }

    public init(from decoder: any Decoder) throws {
        nanoseconds = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nanoseconds)
    }
}

extension Duration {
    /// The whole duration in nanoseconds (saturating far outside ±292 years).
    public var nanosecondsValue: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, carried) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        if carried { return seconds < 0 ? .min : .max }
        return sum
    }

    public var secondsValue: Double { Double(nanosecondsValue) / 1_000_000_000 }

    /// The duration in its largest whole unit, as ages are shown: `0s`, `45s`, `14m`, `3h`, `2d`.
    public var ageText: String {
        let seconds = max(0, nanosecondsValue / 1_000_000_000)
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3_600: return "\(seconds / 60)m"
        case ..<86_400: return "\(seconds / 3_600)h"
        default: return "\(seconds / 86_400)d"
        }
    }
}
