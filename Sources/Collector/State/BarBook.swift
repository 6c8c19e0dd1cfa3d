import DequeModule

/// Recent bars per symbol and source: minute bars (the sparkline, the day's volume) and daily
/// bars (previous closes), each ordered by start with one bar per start and bounded.
/// Pure value: `MarketState` owns one.
package struct BarBook: Sendable {
    /// Minute bars kept per symbol and source.
    package let minuteLimit: Int
    /// Daily bars kept per symbol and source.
    package let dailyLimit: Int
    package private(set) var minute: [Symbol: [SourceID: Deque<Bar>]] = [:]
    package private(set) var daily: [Symbol: [SourceID: Deque<Bar>]] = [:]
    /// Moves on with every bar inserted for a symbol (minute or daily): what is derived from a
    /// symbol's bars (the snapshot's sparkline and previous close) is rebuilt only when it moved.
    package private(set) var revisions: [Symbol: UInt64] = [:]

    package init(minuteLimit: Int, dailyLimit: Int) {
        self.minuteLimit = minuteLimit
        self.dailyLimit = dailyLimit
    }

    /// Keeps a minute or daily bar (a bar for a start already held replaces it); other timeframes are not kept.
    package mutating func insert(_ bar: Bar) {
        switch bar.timeframe {
        case .oneMinute:
            Self.insert(bar, into: &minute[bar.symbol, default: [:]][bar.source, default: []], limit: minuteLimit)
        case .oneDay:
            Self.insert(bar, into: &daily[bar.symbol, default: [:]][bar.source, default: []], limit: dailyLimit)
        default:
            return
        }
        revisions[bar.symbol, default: 0] &+= 1
    }

    /// The revision of `symbol`'s bars (see `revisions`); 0 before any.
    package func revision(of symbol: Symbol) -> UInt64 { revisions[symbol] ?? 0 }

    /// The minute bars of `source` for `symbol`; without a source, those of the source with the latest bar.
    package func minuteBars(_ symbol: Symbol, from source: SourceID?) -> Deque<Bar>? {
        if let source, let bars = minute[symbol]?[source] { return bars }
        return minute[symbol]?.values.max { ($0.last?.start ?? .zero) < ($1.last?.start ?? .zero) }
    }

    /// Keeps bars ordered by start with one bar per start, at most `limit` of the newest.
    static func insert(_ bar: Bar, into bars: inout Deque<Bar>, limit: Int) {
        if let last = bars.last, last.start >= bar.start {
            if last.start == bar.start {
                bars[bars.count - 1] = bar
                return
            }
            guard let index = bars.firstIndex(where: { $0.start >= bar.start }) else { return }
            if bars[index].start == bar.start { bars[index] = bar } else { bars.insert(bar, at: index) }
        } else {
            bars.append(bar)
        }
        while bars.count > limit { bars.removeFirst() }
    }
}
