/// Reads and writes the short duration form used in the configuration file.
///
/// Accepted: a whole number followed by `ms`, `s`, `m`, `h` or `d` (`"250ms"`, `"5s"`,
/// `"2m"`, `"1h"`, `"1d"`), or a bare whole number meaning seconds (`"60"` or `60`).
public enum DurationParser {
    /// What the parser accepts, for error messages.
    public static let expectedForm = "a duration like \"250ms\", \"5s\", \"2m\", \"1h\", \"1d\" or a whole number of seconds"

    /// Units and their length in milliseconds, longest suffix first so `ms` wins over `m`/`s`.
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)
    ]

    /// The duration `text` spells, or `nil` when it is not in the accepted form or overflows.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingBlanks().lowercased()
        let unit =
            units.first { trimmed.hasSuffix($0.suffix) && trimmed.dropLast($0.suffix.count).last?.isNumber == true }
            ?? (suffix: "", milliseconds: 1000)
        let digits = trimmed.dropLast(unit.suffix.count)
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let count = Int64(digits)
        else { return nil }
        let (milliseconds, overflow) = count.multipliedReportingOverflow(by: unit.milliseconds)
        guard !overflow, milliseconds <= maximumMilliseconds else { return nil }
        return .milliseconds(milliseconds)
    }

    /// What is wrong with `text`, which `parse` refused: a well-formed duration beyond the
    /// largest accepted names that bound; anything else gets the accepted form.
    package static func problem(with text: String) -> String {
        exceedsMaximum(text)
            ? "'\(text)' is longer than the longest duration accepted, \(maximumText)" : "expected \(expectedForm), got '\(text)'"
    }

    /// Whether `text` has the accepted form but `parse` refused it as too long.
    package static func exceedsMaximum(_ text: String) -> Bool {
        let trimmed = text.trimmingBlanks().lowercased()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count)
        return !digits.isEmpty && (unit.isEmpty || units.contains { $0.suffix == unit }) && parse(text) == nil
    }

    /// The longest duration accepted, as the messages name it.
    package static let maximumText = "\(maximumMilliseconds / 86_400_000)d (about 100 years)"

    /// The duration for a bare TOML integer (seconds), or `nil` when negative or too large.
    package static func seconds(_ value: Int) -> Duration? {
        guard value >= 0, Int64(value) <= maximumMilliseconds / 1000 else { return nil }
        return .seconds(value)
    }

    /// The shortest exact form in the largest whole unit: 90 s is `"90s"`, 120 s is `"2m"`.
    /// Sub-millisecond parts are rounded to the nearest millisecond.
    package static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 500_000_000_000_000) / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        let unit = units.last { milliseconds % $0.milliseconds == 0 } ?? units[0]
        return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
    }

    /// About 100 years; keeps arithmetic on durations far from overflow.
    private static let maximumMilliseconds: Int64 = 100 * 365 * 86_400_000
}
