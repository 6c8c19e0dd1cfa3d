/// The whole ticktop configuration: an explicit value passed down, never global.
///
/// Built from `config.toml` by `ConfigLoader`; every setting has a documented default.
public struct TicktopConfiguration: Sendable, Equatable {
    public var general: GeneralConfiguration
    /// Watchlists in file order.
    public var watchlists: [Watchlist]
    public var store: StoreConfiguration
    public var collect: CollectConfiguration
    /// Freshness thresholds by asset class and session (`[freshness]`; keys left out follow `general.stale_after`).
    package var freshness: FreshnessPolicy
    /// Configured sources sorted by (priority, id); disabled ones included.
    public var sources: [SourceConfiguration]
    /// Which version 2 validation rules run, and their thresholds.
    package var validation: ValidationConfiguration
    /// Leases between the collectors of a fleet (`[fleet]`; used by `ticktop collect` on PostgreSQL).
    public var fleet: FleetConfiguration

    package init(
        general: GeneralConfiguration = .defaults,
        watchlists: [Watchlist] = [.defaultWatchlist],
        store: StoreConfiguration = .defaults,
        collect: CollectConfiguration = .defaults,
        freshness: FreshnessPolicy = .defaults,
        sources: [SourceConfiguration] = [.simulatedDefault],
        validation: ValidationConfiguration = .defaults,
        fleet: FleetConfiguration = .defaults
    ) {
        self.general = general
        self.watchlists = watchlists
        self.store = store
        self.collect = collect
        self.freshness = freshness
        self.sources = sources.sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }
        self.validation = validation
        self.fleet = fleet
    }

    /// The configuration used when there is no file: the `default` watchlist and the `sim` source.
    package static let defaults = TicktopConfiguration()

    package func watchlist(named name: String) -> Watchlist? {
        watchlists.first { $0.name == name }
    }

    /// The watchlist named by `general.activeWatchlist` (the loader guarantees it exists).
    public var activeWatchlist: Watchlist? { watchlist(named: general.activeWatchlist) }

    /// The sources with `enabled = true`, best first.
    public var enabledSources: [SourceConfiguration] { sources.filter(\.enabled) }
}
