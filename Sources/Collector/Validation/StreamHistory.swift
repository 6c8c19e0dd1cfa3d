/// What the validator remembers about one stream (symbol, source, kind,
/// timeframe, origin): the last accepted time and bar, and a rolling window of
/// its last accepted prices. Only accepted values change it, so a quarantined
/// value never becomes the reference for the next one. Bounded: a fixed-size
/// window plus a few outliers awaiting a level shift.
package struct StreamHistory: Sendable {
    /// A bar's values, kept to tell an exact repeat from a conflicting one.
    package struct BarValues: Sendable, Hashable {
        package var open, high, low, close, volume: Double

        package init(_ bar: Bar) {
            (open, high, low, close, volume) = (bar.open, bar.high, bar.low, bar.close, bar.volume)
        }
    }

    /// The time of the last accepted value (a bar's start).
    package private(set) var previousTime: Timestamp?
    /// The last accepted bar's values (bar streams only).
    package private(set) var previousBar: BarValues?
    /// The last accepted prices (bar closes, quote mids or trade prices) and the moves between them.
    package private(set) var window: RollingWindow
    /// Consecutive outliers that may be a real move, oldest first.
    private var pending: [(price: Double, time: Timestamp)] = []

    package init(windowCapacity: Int = 50) {
        window = RollingWindow(capacity: windowCapacity)
    }

    /// The prices of the outliers awaiting a level shift, oldest first.
    package var pendingShift: [Double] { pending.map(\.price) }

    /// Records an accepted value; `tracksPrices` false keeps only times and bars (version 1 rules).
    package mutating func accept(_ event: MarketEvent, tracksPrices: Bool = true) {
        let bar: BarValues? = if case .bar(let b) = event { BarValues(b) } else { nil }
        accept(time: event.time, price: event.levelPrice.value, bar: bar, tracksPrices: tracksPrices)
    }

    /// The same from the value's parts, read by the validator in one pass over the value.
    mutating func accept(time: Timestamp, price: Double, bar: BarValues?, tracksPrices: Bool) {
        previousTime = time
        if let bar { previousBar = bar }
        guard tracksPrices else { return }
        window.add(price, at: time)
        if !pending.isEmpty { pending.removeAll(keepingCapacity: true) }
    }

    /// Records a price quarantined as an outlier that a real move could explain.
    /// When the last `confirmAfter` such outliers lie on the same side of the
    /// rolling median, closer to each other than half their distance from it,
    /// the move is taken as real: the window restarts from them and their
    /// prices are returned. `confirmAfter` 0 never confirms.
    package mutating func recordOutlier(_ price: Double, at time: Timestamp, confirmAfter: Int) -> [Double]? {
        guard confirmAfter > 0, price.isFinite, price > 0 else { return nil }
        pending.append((price, time))
        if pending.count > confirmAfter { pending.removeFirst(pending.count - confirmAfter) }
        guard pending.count == confirmAfter, !window.isEmpty else { return nil }
        let median = window.median
        let prices = pending.map(\.price)
        let low = prices.min()!
        let high = prices.max()!
        guard low > median || high < median else { return nil }
        let center = prices.sorted()[prices.count / 2]
        guard high - low <= 0.5 * abs(center - median) else { return nil }
        window.restart(from: pending)
        pending.removeAll(keepingCapacity: true)
        return prices
    }
}

extension MarketEvent {
    /// The price the rolling rules follow: a bar's close, a quote's mid (its last trade when it
    /// has no book), a trade's price.
    package var levelPrice: (name: String, value: Double) {
        switch self {
        case .bar(let b): ("close", b.close)
        case .quote(let q): q.level
        case .trade(let t): ("price", t.price)
        }
    }

    /// The name of `levelPrice` alone, without working out a quote's midpoint (for messages).
    package var levelName: String {
        switch self {
        case .bar: "close"
        case .quote(let q): q.levelName
        case .trade: "price"
        }
    }
}
