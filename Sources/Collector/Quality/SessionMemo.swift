import Foundation
import Synchronization

/// The NYSE sessions a `PreviousCloseRule` has worked out, so its answers cost a lookup: every
/// quote asks for its session and every snapshot asks for each symbol's previous session, and
/// working one out walks back day by day through the calendar's holidays and early closes.
/// An answer depends only on the date and the calendar (the rule starts a new memo when its
/// calendar changes), so it is kept per date; the New York day of the last instant asked for is
/// also kept as a span of UTC time, so the quotes of one day skip the time-zone conversion too.
package final class SessionMemo: Sendable {
    private struct Memo {
        /// The latest session on or before a date.
        var onOrBefore: [CivilDate: CivilDate] = [:]
        /// The last New York day asked for: its UTC nanoseconds [start, end) and its session.
        var day: (start: Int64, end: Int64, session: CivilDate)?
    }

    /// Dates kept at most (a backfill over years asks for many); the memo starts over beyond it.
    static let capacity = 4_096

    private let memo = Mutex(Memo())

    /// The latest session on or before `date`, worked out by `workOut` the first time.
    func session(onOrBefore date: CivilDate, workOut: (CivilDate) -> CivilDate) -> CivilDate {
        if let known = memo.withLock({ $0.onOrBefore[date] }) { return known }
        let session = workOut(date)
        memo.withLock {
            if $0.onOrBefore.count >= Self.capacity { $0.onOrBefore.removeAll(keepingCapacity: true) }
            $0.onOrBefore[date] = session
        }
        return session
    }

    /// The latest session on or before the New York date at `time`.
    func session(onOrBeforeNewYorkDateAt time: Timestamp, workOut: (CivilDate) -> CivilDate) -> CivilDate {
        let ns = time.nanoseconds
        if let day = memo.withLock({ $0.day }), day.start <= ns, ns < day.end { return day.session }
        let (date, span) = Self.newYorkDay(at: time)
        let session = session(onOrBefore: date, workOut: workOut)
        if let span { memo.withLock { $0.day = (span.lowerBound, span.upperBound, session) } }
        return session
    }

    /// The New York date at `time` (as `MarketCalendar.newYorkClock`), with the UTC nanoseconds
    /// that date spans when the zone's offset is the same all day (nil on the days the clocks
    /// change, and far from the epoch, where the span would not fit in `Int64` nanoseconds).
    package static func newYorkDay(at time: Timestamp) -> (date: CivilDate, span: Range<Int64>?) {
        let date = MarketCalendar.newYorkClock(at: time).date
        let ns = time.nanoseconds
        let second: Int64 = 1_000_000_000
        let utcSeconds = ns >= 0 ? ns / second : (ns - (second - 1)) / second
        let days = Int64(date.daysSinceEpoch)
        guard abs(days) < 100_000 else { return (date, nil) }
        let zone = MarketCalendar.newYorkZone
        func offset(at seconds: Int64) -> Int64 {
            Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
        let utcOffset = offset(at: utcSeconds)
        let start = days * 86_400 - utcOffset
        let end = start + 86_400
        guard offset(at: start) == utcOffset, offset(at: end - 1) == utcOffset else { return (date, nil) }
        return (date, start * second..<end * second)
    }
}
