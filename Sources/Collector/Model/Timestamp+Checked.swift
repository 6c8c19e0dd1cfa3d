import Foundation

/// Checked constructors for times that come from outside (provider answers, stream frames,
/// replay files, the command line): each returns nil outside `supportedRange` instead of
/// trapping, so the caller reports a bad row, a changed format or a usage error.
extension Timestamp {
    /// The instants ticktop accepts from outside data: 1678-01-01 to 2261-12-31 UTC. `Int64`
    /// nanoseconds hold 1677-09-21 to 2262-04-11, so bar and day arithmetic on an accepted
    /// time (a week's bucket, a day added) cannot overflow.
    package static let supportedRange =
        Timestamp(nanoseconds: -9_214_560_000 * 1_000_000_000)...Timestamp(nanoseconds: 9_214_646_400 * 1_000_000_000 - 1)

    /// The supported range as messages name it.
    public static let supportedRangeText = "1678-01-01 to 2261-12-31 (UTC)"

    /// Whether this instant lies in `supportedRange`.
    package var isSupported: Bool { Self.supportedRange.contains(self) }

    /// Nanoseconds since the epoch, when inside `supportedRange`.
    package init?(checkedNanoseconds nanoseconds: Int64) {
        let time = Timestamp(nanoseconds: nanoseconds)
        guard time.isSupported else { return nil }
        self = time
    }

    /// Milliseconds since the epoch, when inside `supportedRange`.
    package init?(checkedMilliseconds milliseconds: Int64) {
        let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        self.init(checkedNanoseconds: nanoseconds)
    }

    /// Seconds since the epoch, when inside `supportedRange`.
    package init?(checkedSeconds seconds: Int64) {
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        self.init(checkedNanoseconds: nanoseconds)
    }

    /// Why a time is refused, for messages: `'t' 99999999999999 lies outside 1678-01-01 to 2261-12-31 (UTC)`.
    package static func outOfRange(_ field: String, _ value: some CustomStringConvertible) -> String {
        "'\(field)' \(value) lies outside the supported range \(supportedRangeText)"
    }

    /// A `Date`, rounded to the nanosecond, when inside `supportedRange` (nil for NaN too).
    package init?(exactly date: Date) {
        let nanoseconds = (date.timeIntervalSince1970 * 1_000_000_000).rounded()
        guard nanoseconds.isFinite, nanoseconds >= Double(Self.supportedRange.lowerBound.nanoseconds),
            nanoseconds <= Double(Self.supportedRange.upperBound.nanoseconds)
        else { return nil }
        self.init(checkedNanoseconds: Int64(nanoseconds))
    }
}
