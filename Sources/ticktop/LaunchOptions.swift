/// What `LaunchSetup` reads from a command that runs the collector: `monitor` (the board and
/// `--once`) and `collect`.
protocol LaunchOptions {
    var files: FileOptions { get }
    /// `--symbols`: one unsaved list instead of the watchlists.
    var symbols: String? { get }
    /// `--watchlist`: which configured or saved watchlist to collect.
    var watchlist: String? { get }
    /// `--sim-fault`, unparsed (checked in `validate()`).
    var simFaults: [String] { get }
    /// `--deadline` for `--once`, in seconds.
    var deadline: Double? { get }
    /// True when an empty watchlist is a usage error (nothing could add symbols later).
    var needsSymbols: Bool { get }
    /// True when the run joins the collector fleet on a PostgreSQL store (`collect`): it collects
    /// the symbols it holds leases on, and its watchlist is what it asks the fleet for.
    var joinsFleet: Bool { get }
}

extension MonitorCommand: LaunchOptions {
    /// Only `--once` needs symbols: on the board the user can add some.
    var needsSymbols: Bool { once }
    /// The board and `--once` collect their own watchlist, outside any fleet.
    var joinsFleet: Bool { false }
}
