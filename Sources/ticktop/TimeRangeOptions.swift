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
            throw ValidationError(Self.problem(option: "--from", from, example: "2024-01-02"))
        }
        var end = now
        if let to {
            guard let parsed = Timestamp(rfc3339: to) else {
                throw ValidationError(Self.problem(option: "--to", to, example: "2024-03-01"))
            }
            end = min(to.count == 10 ? parsed + .seconds(86_400) - .nanoseconds(1) : parsed, now)
        }
        guard start <= end else {
            throw ValidationError(start > now ? "--from lies in the future" : "--from must not be after --to")
        }
        return start...end
    }

    /// The days a timestamp holds (nanoseconds since 1970 in 64 bits), as messages name them.
    static let supportedDays = Timestamp.supportedRangeText

    /// Why `text` is not a date or instant: a year outside `supportedDays`, or not the form.
    static func problem(option: String, _ text: String, example: String) -> String {
        let year = text.prefix { $0.isASCII && $0.isNumber }
        if year.count >= 4, text.dropFirst(year.count).first == "-", let value = Int(year.prefix(9)), value < 1678 || value > 2261
        {
            return "\(option): '\(text)' is outside the supported dates, \(supportedDays)"
        }
        return "\(option): expected a date like \(example) or an instant like \(example)T14:30:00Z, got '\(text)'"
    }
}

/// `--timeframe`, checked.
enum TimeframeArgument {
    static func parse(_ text: String) throws -> Timeframe {
        guard let timeframe = Timeframe(parsing: text) else {
            throw ValidationError(
                "--timeframe: unknown timeframe '\(text)'; use one of \(Timeframe.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return timeframe
    }
}
