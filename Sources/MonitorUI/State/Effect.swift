import Collector

/// What the reducer asks the outside world to do.
public enum Effect: Equatable, Sendable {
    /// Collect these symbols (the active watchlist changed).
    case watch([Symbol])
    /// Persist the watchlists and which one is active.
    case saveWatchlists([Watchlist], active: String)
    /// Fetch bars for the detail view.
    case loadBars(Symbol, Timeframe)
    /// Read a source's rate-limit budget for its detail view (`UIEvent.budget`).
    case loadBudget(SourceID)
    /// Take a fresh snapshot and redraw now.
    case refresh
    /// Switch to the next theme.
    case nextTheme
    /// Leave, shutting the collector down in order.
    case quit
}

/// What the reducer reacts to.
public enum UIEvent: Sendable {
    case key(KeyPress)
    case snapshot(MarketSnapshot)
    case bars(Symbol, Timeframe, [Bar])
    /// A source's rate-limit budget as it stands; nil when it has no rate limiter.
    case budget(SourceID, RateLimiter.Status?)
    /// The board can show this many rows now (set after each layout).
    case pageSize(Int)
    case theme(String)
}
