/// The `[general]` table: which watchlist is shown and when a quote goes stale.
public struct GeneralConfiguration: Sendable, Equatable {
    /// Name of the active watchlist; it names one of `TicktopConfiguration.watchlists`.
    public var activeWatchlist: String
    /// A quote older than this counts as stale. Default 60 s.
    package var staleAfter: Duration
    /// The log file; `nil` means `XDGPaths.defaultLogPath`.
    package var logFile: String?

    package init(activeWatchlist: String = "default", staleAfter: Duration = .seconds(60), logFile: String? = nil) {
        self.activeWatchlist = activeWatchlist
        self.staleAfter = staleAfter
        self.logFile = logFile
    }

    /// `watchlist = "default"`, `stale_after = "60s"`, `log_file = ""`.
    package static let defaults = GeneralConfiguration()
}
