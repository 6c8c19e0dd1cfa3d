import Collector

/// How a terminal following a shared store reaches it, in words: the board's store banner
/// (`STORE: unreachable since 14:02:07 UTC, retrying`, `STORE: no collector alive since ...`) and
/// the `--once` notes.
package enum StoreFollowText {
    /// Nil while the store answers and holds data.
    package static func banner(_ follow: StoreFollowStatus) -> String? {
        if let since = follow.unreachableSince {
            return "unreachable since \(since.clockText) UTC, retrying" + (follow.problem.map { " (\($0))" } ?? "")
        }
        if follow.caughtUpAt == nil { return "connecting to \(follow.location)" }
        if let text = noCollector(follow) { return text }
        if follow.storeHasQuotes == false { return noData(follow) }
        return nil
    }

    /// `no collector alive since 14:02:07 UTC: prices are not live`; nil while one is (or nobody can tell).
    package static func noCollector(_ follow: StoreFollowStatus) -> String? {
        guard follow.fleetAlive == false, let since = follow.noCollectorSince else { return nil }
        return FleetText.notLive(since: since)
    }

    /// `no data yet: no collector has stored a quote in postgres://desk:***@db/ticks`.
    package static func noData(_ follow: StoreFollowStatus) -> String {
        "no data yet: no collector has stored a quote in \(follow.location)"
    }
}
