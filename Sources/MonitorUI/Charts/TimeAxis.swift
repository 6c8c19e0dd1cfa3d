import Collector

/// Places time labels under a chart's bars: at round multiples of the bar
/// length (every 10 or 30 minutes, every 5 days), far enough apart never to overlap.
enum TimeAxis {
    /// Bar counts tried, smallest first, as the spacing between labels.
    static let steps: [Int64] = [1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 240, 480, 960, 1_920, 3_840]

    /// Labels as (column, text) for bars drawn at `columns` (one per bar, ascending),
    /// kept inside `lane` (the columns the axis row may use).
    static func labels(_ bars: [Bar], columns: [Int], lane: Range<Int>) -> [(column: Int, text: String)] {
        guard let first = bars.first, bars.count == columns.count else { return [] }
        let timeframe = first.timeframe
        let width = ChartTime.axisLabel(first.start, timeframe: timeframe).count
        let span = max(1, (columns.last ?? 0) - (columns.first ?? 0))
        let cellsPerBar = bars.count > 1 ? Double(span) / Double(bars.count - 1) : Double(lane.count)
        let gap = 2
        let step = steps.first { Double($0) * cellsPerBar >= Double(width + gap) } ?? steps[steps.count - 1]
        let (period, overflow) = timeframe.nominalDuration.nanosecondsValue.multipliedReportingOverflow(by: step)
        guard !overflow, period > 0 else { return [] }

        var result: [(column: Int, text: String)] = []
        var free = lane.lowerBound
        var previous: Int64?
        for (bar, column) in zip(bars, columns) {
            let bucket = ChartTime.floorDivide(bar.start.nanoseconds, period)
            let onBoundary = previous.map { $0 != bucket } ?? (bar.start.nanoseconds - bucket * period == 0)
            previous = bucket
            guard onBoundary, column >= free, column + width <= lane.upperBound else { continue }
            result.append((column, ChartTime.axisLabel(bar.start, timeframe: timeframe)))
            free = column + width + gap
        }
        return result
    }
}
