import Collector

/// What the reducer asks the outside world to do.
public enum Effect: Equatable, Sendable {
    /// Collect these symbols (the active watchlist changed).
    case watch([Symbol])
    /// Persist the watchlists and which one is active.
    case saveWatchlists([Watchlist], active: String)
    /// Fetch bars for the detail view.
    case loadBars(Symbol, Timeframe)
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
    /// The board can show this many rows now (set after each layout).
    case pageSize(Int)
    case theme(String)
}
