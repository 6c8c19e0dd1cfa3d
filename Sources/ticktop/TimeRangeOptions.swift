import ArgumentParser
import Collector

/// `--from` and `--to` as a closed range of instants: a day (`2024-03-01`, UTC)
/// or an RFC 3339 instant; a day given as `--to` means through its end.
struct TimeRangeOptions: ParsableArguments {
    @Option(help: "First day (2024-01-02) or instant (2024-01-02T14:30:00Z), UTC.")
    var from: String?

    @Option(help: "Last day or instant, UTC (default: now). A day means through its end.")
    var to: String?

    /// The range up to `now`; nil when `--from` is not given. Throws a usage error naming the option.
    func range(now: Timestamp) throws -> ClosedRange<Timestamp>? {
        guard let from else {
            if to != nil { throw ValidationError("--to needs --from") }
            return nil
        }
        guard let start = Timestamp(rfc3339: from) else {
            throw ValidationError(
                "--from: expected a date like 2024-01-02 or an instant like 2024-01-02T14:30:00Z from \(Timestamp.supportedRangeText), got '\(from)'")
        }
        var end = now
        if let to {
            guard let parsed = Timestamp(rfc3339: to) else {
                throw ValidationError(
                    "--to: expected a date like 2024-03-01 or an instant like 2024-03-01T21:00:00Z from \(Timestamp.supportedRangeText), got '\(to)'")
            }
            end = min(to.count == 10 ? parsed + .seconds(86_400) - .nanoseconds(1) : parsed, now)
        }
        guard start <= end else {
            throw ValidationError(start > now ? "--from lies in the future" : "--from must not be after --to")
        }
        return start...end
    }
}

/// `--timeframe`, checked.
enum TimeframeArgument {
    static func parse(_ text: String) throws -> Timeframe {
        guard let timeframe = Timeframe(parsing: text) else {
            throw ValidationError("--timeframe: unknown timeframe '\(text)'; use one of \(Timeframe.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return timeframe
    }
}
