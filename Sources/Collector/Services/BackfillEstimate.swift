/// What a `ticktop backfill` would fetch, known before any request: at most one bar per
/// timeframe interval over the range for each symbol (markets that close fill fewer), and
/// at least one request per window of `RangeBackfill` for each symbol (sources page within
/// a window, so there may be more). A run estimated above `confirmationBound` bars waits
/// for `--yes`.
public struct BackfillEstimate: Sendable, Equatable {
    public let bars: Int64
    public let requests: Int64

    /// Bars above which a backfill asks for confirmation: a year of minute bars
    /// around the clock for two symbols is about 1.05 million.
    public static let confirmationBound: Int64 = 1_000_000

    public init(symbols: Int, timeframe: Timeframe, range: ClosedRange<Timestamp>) {
        let span = range.upperBound.nanoseconds.subtractingReportingOverflow(range.lowerBound.nanoseconds)
        let nanoseconds = span.overflow ? Int64.max : span.partialValue
        let barLength = timeframe.nominalDuration.nanosecondsValue
        let window = RangeBackfill.windowLength(for: timeframe).nanosecondsValue
        let count = Int64(max(0, symbols))
        bars = Self.saturatingProduct(count, nanoseconds / barLength + 1)
        requests = Self.saturatingProduct(count, nanoseconds / window + 1)
    }

    public var needsConfirmation: Bool { bars > Self.confirmationBound }

    private static func saturatingProduct(_ a: Int64, _ b: Int64) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }
}
