/// Tells the timeframe of a file whose bars do not say it (Yahoo, Alpha Vantage, Stooq exports).
///
/// - Every start a UTC midnight (the file has dates): daily, or weekly when the closest two dates
///   are 7 or more days apart, monthly when 28 or more.
/// - Otherwise intraday: the closest two starts must be exactly 1, 5, 15, 30 or 60 minutes or
///   4 hours apart (missing bars only widen other gaps, so the smallest gap is the bar length).
/// - A single intraday bar counts as 1Min.
enum ReplayBarLength {
    static func infer(fromStarts starts: [Int64]) throws(ReplayFileError) -> Timeframe {
        let sorted = starts.sorted()
        var smallest: Int64?
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later > earlier {
            // Starts over 292 years apart (1721 and 2024) overflow a nanosecond difference: wider
            // than any bar length.
            let (gap, overflow) = later.subtractingReportingOverflow(earlier)
            if !overflow, gap < smallest ?? .max { smallest = gap }
            if overflow, smallest == nil { smallest = .max }
        }
        let day: Int64 = 86_400_000_000_000
        let dates = sorted.allSatisfy { ReplayTime.isMidnight(Timestamp(nanoseconds: $0)) }
        if dates {
            guard let smallest else { return .oneDay }
            if smallest >= 28 * day { return .oneMonth }
            if smallest >= 7 * day { return .oneWeek }
            return .oneDay
        }
        guard let smallest else { return .oneMinute }
        let intraday: [Timeframe] = [.oneMinute, .fiveMinutes, .fifteenMinutes, .thirtyMinutes, .oneHour, .fourHours]
        if let match = intraday.first(where: { $0.nominalDuration.nanosecondsValue == smallest }) { return match }
        throw ReplayFileError(
            "cannot tell the bar length: the closest bars are \(Duration.nanoseconds(smallest).spacingText) apart "
                + "(expected 1, 5, 15, 30 or 60 minutes or 4 hours, or dates)")
    }
}

extension Duration {
    /// `90 seconds`, `2 minutes`: a gap between bars, for messages.
    fileprivate var spacingText: String {
        let seconds = nanosecondsValue / 1_000_000_000
        if seconds == 0 { return "\(nanosecondsValue) nanoseconds" }
        if seconds % 60 != 0 || seconds < 60 { return "\(seconds) seconds" }
        return "\(seconds / 60) minutes"
    }
}
