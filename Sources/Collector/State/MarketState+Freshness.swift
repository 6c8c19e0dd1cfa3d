/// Freshness: sessions and thresholds per asset class (`FreshnessBook`), and the
/// `symbol-silent` and `source-silent` checks the alert book decides (`AlertBook.Silence`).
extension MarketState {
    /// The session and threshold of `assetClass`'s market at `now`.
    func freshness(of assetClass: AssetClass, at now: Timestamp) -> Freshness {
        freshnessBook.freshness(of: assetClass, at: now)
    }

    /// How long `source` may stay silent now, or nil when no market it quotes is open.
    /// It quotes the watched symbols it has delivered (before any, all watched symbols).
    func silenceThreshold(of source: SourceID, at now: Timestamp) -> Duration? {
        let watchlist = watchlist
        let quoted = watchlist.filter { quoteBook.quote($0, from: source) != nil }
        return freshnessBook.silenceThreshold(
            serving: quoted.isEmpty ? watchlist : quoted, pollInterval: pollIntervals[source], at: now)
    }

    /// The freshness checks at `now`: every watched symbol while its market expects data, and
    /// every source that is serving (streaming, polling or degraded).
    func silences(at now: Timestamp) -> [AlertBook.Silence] {
        var checks: [AlertBook.Silence] = []
        for symbol in watchlist {
            let alert = Alert(kind: .symbolSilent, severity: .warning, subject: symbol.rawValue, message: "", raisedAt: now)
            let freshness = freshness(of: symbol.assetClass, at: now)
            // A value stored by an earlier run is no news in this one: silence counts from the start.
            let last = quoteBook.lastReceived(symbol).map { restoredSymbols.contains(symbol) ? max($0, startedAt) : $0 }
            let when =
                switch freshness.status.session {
                case .pre: "in pre-market trading"
                case .post: "in after-hours trading"
                default: "while its market is open"
                }
            checks.append(
                AlertBook.Silence(alert: alert, last: last, threshold: freshness.threshold) { silence, threshold in
                    "\(last == nil ? "no value yet" : "no new value for \(silence.ageText)") \(when) (threshold \(threshold.ageText))"
                })
        }
        for id in sourceOrder {
            guard let entry = health[id], [.streaming, .polling, .degraded].contains(entry.state) else { continue }
            let alert = Alert(kind: .sourceSilent, severity: .warning, subject: id.label, message: "", raisedAt: now)
            checks.append(
                AlertBook.Silence(alert: alert, last: entry.lastSuccess, threshold: silenceThreshold(of: id, at: now)) {
                    "\(id.label) delivered nothing for \($0.ageText) (threshold \($1.ageText))"
                })
        }
        return checks
    }
}
