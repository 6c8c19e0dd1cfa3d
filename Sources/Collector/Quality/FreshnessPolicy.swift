/// How old a value may grow before it counts as stale, by asset class and
/// session: the `[freshness]` table. A market that expects no data (closed,
/// or an index outside the regular session, when it is not calculated) has no
/// threshold: its values show as closed, never stale, and raise no alert.
package struct FreshnessPolicy: Sendable, Hashable {
    /// US equities in the regular session.
    package var equity: Duration
    /// US equities in pre-market and after-hours, when trading is thin.
    package var equityExtended: Duration
    /// Indices, in the regular session only.
    package var index: Duration
    package var fx: Duration
    package var crypto: Duration
    /// A source that delivered nothing this long while a market it quotes is open is silent.
    package var source: Duration
    /// Hysteresis: an open freshness alert clears only once values have kept
    /// arriving this long (one value after a silence does not clear it).
    package var clearAfter: Duration

    package init(
        equity: Duration = .seconds(60), equityExtended: Duration = .seconds(300), index: Duration = .seconds(60),
        fx: Duration = .seconds(60), crypto: Duration = .seconds(60), source: Duration = .seconds(60),
        clearAfter: Duration = .seconds(15)
    ) {
        self.equity = equity
        self.equityExtended = equityExtended
        self.index = index
        self.fx = fx
        self.crypto = crypto
        self.source = source
        self.clearAfter = clearAfter
    }

    /// The `general.stale_after` fallback: every regular-session threshold and
    /// `source` are `staleAfter`; `equityExtended` is 5 minutes, or `staleAfter` if longer.
    package init(staleAfter: Duration) {
        self.init(
            equity: staleAfter, equityExtended: max(.seconds(300), staleAfter), index: staleAfter, fx: staleAfter,
            crypto: staleAfter, source: staleAfter)
    }

    /// `equity = "60s"`, `equity_extended = "5m"`, `index`, `fx`, `crypto`, `source` `"60s"`, `clear_after = "15s"`.
    package static let defaults = FreshnessPolicy()

    /// The threshold for `assetClass` in `session`; nil when no data is expected.
    package func threshold(for assetClass: AssetClass, in session: MarketSession) -> Duration? {
        switch (assetClass, session) {
        case (_, .closed): nil
        case (.equity, .open): equity
        case (.equity, _): equityExtended
        case (.index, .open): index
        case (.index, _): nil
        case (.fx, _): fx
        case (.crypto, _): crypto
        }
    }

    /// The session of `assetClass`'s market at `time` and the threshold that applies.
    package func freshness(for assetClass: AssetClass, at time: Timestamp, calendar: MarketCalendar = .nyse) -> Freshness {
        let status = calendar.status(for: assetClass, at: time)
        return Freshness(status: status, threshold: threshold(for: assetClass, in: status.session))
    }
}
