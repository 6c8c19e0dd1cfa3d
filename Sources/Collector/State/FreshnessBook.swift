/// Freshness by asset class: each market's session and how old a value may be in it, and how
/// long a source may stay silent. Pure value: `MarketState` owns one.
package struct FreshnessBook: Sendable {
    package let policy: FreshnessPolicy
    package let calendar: MarketCalendar
    /// Freshness per asset class (by `slot(of:)`) in the minute `memoMinute` (sessions cost a
    /// time-zone lookup; this is asked for every quote, so no dictionary).
    private var memoMinute = Int64.min
    private var memo = [Freshness?](repeating: nil, count: AssetClass.allCases.count)

    package init(policy: FreshnessPolicy, calendar: MarketCalendar) {
        self.policy = policy
        self.calendar = calendar
    }

    /// The session and threshold of `assetClass`'s market at `now`. Sessions change only on
    /// whole minutes (New York is a whole number of hours from UTC), so this is memoised per minute.
    package mutating func freshness(of assetClass: AssetClass, at now: Timestamp) -> Freshness {
        let ns = now.nanoseconds
        let minute = ns >= 0 ? ns / 60_000_000_000 : (ns + 1) / 60_000_000_000 - 1
        let slot = Self.slot(of: assetClass)
        if memoMinute == minute, let known = memo[slot] { return known }
        if memoMinute != minute {
            memoMinute = minute
            for index in memo.indices { memo[index] = nil }
        }
        let value = policy.freshness(for: assetClass, at: now, calendar: calendar)
        memo[slot] = value
        return value
    }

    private static func slot(of assetClass: AssetClass) -> Int {
        switch assetClass {
        case .equity: 0
        case .index: 1
        case .fx: 2
        case .crypto: 3
        }
    }

    /// How long a source may stay silent now, or nil when no market it serves is open. It serves
    /// `served` (with none it is always expected). It need not deliver more often than the
    /// tightest threshold among those open, nor than `FreshnessPolicy.source`; a polled source
    /// not more often than twice its `pollInterval` (one poll may be late).
    package mutating func silenceThreshold(serving served: [Symbol], pollInterval: Duration?, at now: Timestamp) -> Duration? {
        let polls = (pollInterval ?? .zero) * 2
        guard !served.isEmpty else { return max(policy.source, polls) }
        guard let tightest = served.compactMap({ freshness(of: $0.assetClass, at: now).threshold }).min() else { return nil }
        return max(policy.source, tightest, polls)
    }
}
