/// Freshness: sessions and thresholds per asset class, and the `symbol-silent`
/// and `source-silent` alerts.
///
/// A symbol or source silent beyond its threshold while its market expects data
/// raises an alert. It clears when the market closes, or with hysteresis once
/// values have kept arriving for `FreshnessPolicy.clearAfter`: a single value
/// after a silence leaves it open, so it cannot clear and re-raise on every tick.
extension MarketState {
    /// The session and threshold of `assetClass`'s market at `now`. Sessions change only on
    /// whole minutes (New York is a whole number of hours from UTC), so this is memoised per minute.
    func freshness(of assetClass: AssetClass, at now: Timestamp) -> Freshness {
        let ns = now.nanoseconds
        let minute = ns >= 0 ? ns / 60_000_000_000 : (ns + 1) / 60_000_000_000 - 1
        if let memo = freshnessMemo, memo.minute == minute, let known = memo.byClass[assetClass] { return known }
        var byClass = freshnessMemo?.minute == minute ? freshnessMemo?.byClass ?? [:] : [:]
        let value = settings.freshness.freshness(for: assetClass, at: now, calendar: settings.calendar)
        byClass[assetClass] = value
        freshnessMemo = (minute, byClass)
        return value
    }

    /// How long `source` may stay silent now, or nil when no market it quotes is open.
    /// It quotes the watched symbols it has delivered (before any, all watched symbols;
    /// with none watched it is always expected). It need not deliver more often
    /// than the tightest threshold among those open, nor than `FreshnessPolicy.source`; a
    /// polled source not more often than twice its poll interval (one poll may be late).
    func silenceThreshold(of source: SourceID, at now: Timestamp) -> Duration? {
        let quoted = watchlist.filter { quotes[$0]?[source] != nil }
        let served = quoted.isEmpty ? watchlist : quoted
        let polls = (pollIntervals[source] ?? .zero) * 2
        guard !served.isEmpty else { return max(settings.freshness.source, polls) }
        guard let tightest = served.compactMap({ freshness(of: $0.assetClass, at: now).threshold }).min() else { return nil }
        return max(settings.freshness.source, tightest, polls)
    }

    /// The freshness alerts wanted now; `open` maps the alerts open before (by id) to when they were raised.
    func freshnessAlerts(at now: Timestamp, open: [String: Timestamp]) -> [Alert] {
        var wanted: [Alert] = []
        for symbol in watchlist {
            let alert = Alert(kind: .symbolSilent, severity: .warning, subject: symbol.rawValue, message: "", raisedAt: now)
            let freshness = freshness(of: symbol.assetClass, at: now)
            guard let threshold = freshness.threshold else {
                recoveringSince[alert.id] = nil
                continue
            }
            let last = quotes[symbol]?.values.map(\.receivedAt).max()
            let when = switch freshness.status.session {
            case .pre: "in pre-market trading"
            case .post: "in after-hours trading"
            default: "while its market is open"
            }
            let message = silence(alert.id, last: last, threshold: threshold, now: now, raisedAt: open[alert.id]) {
                "\(last == nil ? "no value yet" : "no new value for \($0.ageText)") \(when) (threshold \(threshold.ageText))"
            }
            if let message { wanted.append(with(alert, message)) }
        }
        for id in sourceOrder {
            guard let entry = health[id], [.streaming, .polling, .degraded].contains(entry.state) else { continue }
            let alert = Alert(kind: .sourceSilent, severity: .warning, subject: id.label, message: "", raisedAt: now)
            guard let threshold = silenceThreshold(of: id, at: now) else {
                recoveringSince[alert.id] = nil
                continue
            }
            let message = silence(alert.id, last: entry.lastSuccess, threshold: threshold, now: now, raisedAt: open[alert.id]) {
                "\(id.label) delivered nothing for \($0.ageText) (threshold \(threshold.ageText))"
            }
            if let message { wanted.append(with(alert, message)) }
        }
        return wanted
    }

    /// Decides one freshness alert: the message to show while it is wanted, nil when it is not.
    /// Silent (newest value `last`, or the start when none, older than `threshold`): wanted.
    /// Open (since `raisedAt`) and values arriving again: still wanted until they have kept
    /// arriving for `clearAfter`, measured from the first new value an evaluation (every
    /// second) saw to the newest. Open but no longer beyond a threshold that grew (after-hours
    /// began) without any new value: cleared.
    private func silence(
        _ id: String, last: Timestamp?, threshold: Duration, now: Timestamp, raisedAt: Timestamp?,
        silent: (Duration) -> String
    ) -> String? {
        let since = last ?? startedAt
        if now - since > threshold {
            recoveringSince[id] = nil
            return silent(now - since)
        }
        guard let raisedAt, let last, last > raisedAt else {
            recoveringSince[id] = nil
            return nil
        }
        let began = recoveringSince[id] ?? last
        guard last - began < settings.freshness.clearAfter else {
            recoveringSince[id] = nil
            return nil
        }
        recoveringSince[id] = began
        return "receiving again since \(began.clockText) UTC; clears after \(settings.freshness.clearAfter.ageText) of steady values"
    }

    private func with(_ alert: Alert, _ message: String) -> Alert {
        var alert = alert
        alert.message = message
        return alert
    }
}
