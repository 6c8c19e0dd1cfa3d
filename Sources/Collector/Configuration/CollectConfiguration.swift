/// The `[collect]` table: one-shot deadline, start-up backfill, in-memory history, and where
/// `ticktop collect` serves `/metrics` and `/healthz`.
public struct CollectConfiguration: Sendable, Equatable {
    /// `--once` waits at most this long for every symbol.
    public var onceDeadline: Duration
    /// Days of daily bars fetched at start; 0 disables.
    public var backfillDailyDays: Int
    /// Days of minute bars fetched at start; 0 disables.
    package var backfillMinuteDays: Int
    /// Minute bars per symbol kept in memory.
    package var recentBars: Int
    /// Where `ticktop collect` serves `/metrics` and `/healthz`; nil (`"off"`) serves nothing.
    public var listen: ListenAddress?

    package static let backfillDailyDaysRange = 0...36_500
    package static let backfillMinuteDaysRange = 0...365
    package static let recentBarsRange = 1...100_000

    package init(
        onceDeadline: Duration = .seconds(10),
        backfillDailyDays: Int = 400,
        backfillMinuteDays: Int = 7,
        recentBars: Int = 600, listen: ListenAddress? = .defaultAddress
    ) {
        self.onceDeadline = onceDeadline
        self.backfillDailyDays = backfillDailyDays
        self.backfillMinuteDays = backfillMinuteDays
        self.recentBars = recentBars
        self.listen = listen
    }

    /// `once_deadline = "10s"`, `backfill_daily_days = 400`, `backfill_minute_days = 7`, `recent_bars = 600`,
    /// `listen = "127.0.0.1:9464"`.
    package static let defaults = CollectConfiguration()
}
