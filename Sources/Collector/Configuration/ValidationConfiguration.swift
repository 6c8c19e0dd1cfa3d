/// The `[validation]` table: which version 2 rules run and their thresholds.
/// The version 1 rules (bad prices, OHLC, negative volume, crossed quotes,
/// time order) are always on.
package struct ValidationConfiguration: Sendable, Equatable {
    /// Version 2 rule names switched off, in file order.
    package var disabled: [String]
    /// Accepted prices per stream in the rolling window.
    package var spikeWindow: Int
    /// Robust score above which a price is a spike.
    package var spikeThreshold: Double
    /// Floor on the MAD, as a fraction of the median.
    package var spikeMinimumMAD: Double
    /// Outliers in a row at one new level after which the move is taken as real (0: never).
    package var levelShiftAfter: Int
    /// How far from exactly 100x or 0.01x a unit error's ratio may be.
    package var unitErrorTolerance: Double
    /// How near a split ratio a day-over-day ratio must be.
    package var splitTolerance: Double
    /// How many normal daily moves a split-like jump must span.
    package var splitMinimumScore: Double
    /// The longest a live quote's exchange time may lag its receipt.
    package var staleQuoteAfter: Duration
    /// How far outside the day's range a quote may be, as a fraction.
    package var quoteRangeTolerance: Double
    /// Most streams whose rolling state is kept.
    package var maxStreams: Int

    /// The version 2 rules, in the order they run within their family.
    package static let ruleNames = [
        "bar-conflict", "bar-overlap", "stale-quote", "zero-volume", "bar-outside-session",
        "unit-error", "split-like", "price-spike", "quote-outside-range"
    ]
    /// The version 1 rules and the names they report; always on.
    package static let versionOneRuleNames = [
        "bad-price", "negative-volume", "ohlc-inconsistent", "crossed-quote", "time-order", "time-backwards",
        "time-repeated"
    ]

    package static let spikeWindowRange = 5...1_000
    package static let spikeThresholdRange = 1.0...1_000
    package static let spikeMinimumMADRange = 0.0...0.1
    package static let levelShiftAfterRange = 0...1_000
    package static let unitErrorToleranceRange = 0.01...0.9
    package static let splitToleranceRange = 0.001...0.2
    package static let splitMinimumScoreRange = 0.0...1_000
    package static let quoteRangeToleranceRange = 0.01...10
    package static let maxStreamsRange = 100...10_000_000

    package init(
        disabled: [String] = [], spikeWindow: Int = 50, spikeThreshold: Double = 8, spikeMinimumMAD: Double = 0.001,
        levelShiftAfter: Int = 3, unitErrorTolerance: Double = 0.2, splitTolerance: Double = 0.05,
        splitMinimumScore: Double = 6, staleQuoteAfter: Duration = .seconds(300), quoteRangeTolerance: Double = 0.2,
        maxStreams: Int = 10_000
    ) {
        self.disabled = disabled
        self.spikeWindow = spikeWindow
        self.spikeThreshold = spikeThreshold
        self.spikeMinimumMAD = spikeMinimumMAD
        self.levelShiftAfter = levelShiftAfter
        self.unitErrorTolerance = unitErrorTolerance
        self.splitTolerance = splitTolerance
        self.splitMinimumScore = splitMinimumScore
        self.staleQuoteAfter = staleQuoteAfter
        self.quoteRangeTolerance = quoteRangeTolerance
        self.maxStreams = maxStreams
    }

    /// Every version 2 rule on, with the thresholds documented in the README.
    package static let defaults = ValidationConfiguration()

    package func isEnabled(_ rule: String) -> Bool { !disabled.contains(rule) }

    /// The configured version 2 rules that are enabled, in order.
    package var enabledRules: [any StreamValidationRule] {
        let all: [any StreamValidationRule] = [
            BarConflictRule(), BarOverlapRule(), StaleQuoteRule(maximumLag: staleQuoteAfter), ZeroVolumeRule(),
            OutsideSessionRule(), UnitErrorRule(tolerance: unitErrorTolerance),
            SplitJumpRule(tolerance: splitTolerance, minimumScore: splitMinimumScore),
            PriceSpikeRule(threshold: spikeThreshold, minimumMAD: spikeMinimumMAD),
            QuoteRangeRule(tolerance: quoteRangeTolerance)
        ]
        return all.filter { isEnabled($0.name) }
    }
}
