extension MarketState.Settings {
    /// The settings the configuration gives: `general.stale_after`, the freshness thresholds and
    /// `collect.recent_bars` (a collecting terminal and a terminal following a store alike).
    package init(_ configuration: TicktopConfiguration) {
        self.init(
            staleAfter: configuration.general.staleAfter, freshness: configuration.freshness,
            recentBarLimit: configuration.collect.recentBars)
    }
}
