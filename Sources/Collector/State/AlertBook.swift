/// The alerts: every open one plus the most recently cleared (newest first, bounded), the
/// alerts earlier runs stored, and the hysteresis of freshness alerts.
///
/// A symbol or source silent beyond its threshold while its market expects data raises an
/// alert. It clears when the market closes, or with hysteresis once values have kept arriving
/// for `clearAfter`: a single value after a silence leaves it open, so it cannot clear and
/// re-raise on every tick. Pure value: `MarketState` owns one and tells it, on each
/// evaluation, which alerts are wanted.
package struct AlertBook: Sendable {
    /// One freshness check: its alert is wanted while the newest value (`last`, or the start of
    /// the run when none came) is older than `threshold`; no threshold (a closed market) wants none.
    package struct Silence {
        /// The kind, severity and subject of the alert (the message is made by `describe`).
        package var alert: Alert
        package var last: Timestamp?
        package var threshold: Duration?
        /// The message for a silence of the given length beyond the given threshold.
        package var describe: (_ silence: Duration, _ threshold: Duration) -> String

        package init(
            alert: Alert, last: Timestamp?, threshold: Duration?,
            describe: @escaping (_ silence: Duration, _ threshold: Duration) -> String
        ) {
            self.alert = alert
            self.last = last
            self.threshold = threshold
            self.describe = describe
        }
    }

    /// Most alerts kept; cleared ones go first when over.
    package static let limit = 200
    /// How long values must keep arriving before a freshness alert clears.
    package let clearAfter: Duration
    /// The start of the run: a symbol that never had a value is silent since then.
    package let startedAt: Timestamp
    /// Alerts, newest first: every open one plus the most recently cleared.
    package private(set) var alerts: [Alert] = []
    /// Alerts stored by earlier runs, newest first (shown as history, never re-evaluated).
    package private(set) var earlier: [Alert] = []
    /// Per open freshness alert (by id): when values began arriving again.
    private var recoveringSince: [String: Timestamp] = [:]

    package init(clearAfter: Duration, startedAt: Timestamp) {
        self.clearAfter = clearAfter
        self.startedAt = startedAt
    }

    /// Shows alerts stored by earlier runs.
    package mutating func restoreEarlier(_ stored: [Alert]) {
        earlier = stored.sorted { $0.raisedAt > $1.raisedAt }
    }

    /// Raises what is wanted now and not open, updates the message of what is open and still
    /// wanted, and clears what is open and no longer wanted. `wanted` are alerts wanted as they
    /// are; `silences` are freshness checks (see `Silence`). Returns the alerts raised, updated
    /// or cleared, for storage.
    package mutating func evaluate(wanted: [Alert], silences: [Silence], at now: Timestamp) -> [Alert] {
        var byID: [String: Alert] = [:]
        let open = Dictionary(alerts.lazy.filter(\.isOpen).map { ($0.id, $0.raisedAt) }, uniquingKeysWith: max)
        for check in silences {
            let id = check.alert.id
            guard let threshold = check.threshold else {
                recoveringSince[id] = nil
                continue
            }
            let message = silence(id, last: check.last, threshold: threshold, now: now, raisedAt: open[id]) {
                check.describe($0, threshold)
            }
            guard let message else { continue }
            var alert = check.alert
            alert.message = message
            alert.raisedAt = now
            byID[id] = alert
        }
        for alert in wanted { byID[alert.id] = alert }
        var changes: [Alert] = []
        for index in alerts.indices where alerts[index].isOpen {
            if let update = byID.removeValue(forKey: alerts[index].id) {
                if alerts[index].message != update.message {
                    alerts[index].message = update.message
                    changes.append(alerts[index])
                }
            } else {
                recoveringSince[alerts[index].id] = nil
                alerts[index].clearedAt = now
                changes.append(alerts[index])
            }
        }
        let raised = byID.values.sorted { ($0.kind.rawValue, $0.subject) < ($1.kind.rawValue, $1.subject) }
        if !raised.isEmpty {
            alerts.insert(contentsOf: raised, at: 0)
            changes += raised
        }
        while alerts.count > Self.limit, let index = alerts.lastIndex(where: { !$0.isOpen }) {
            alerts.remove(at: index)
        }
        return changes
    }

    /// Decides one freshness alert: the message to show while it is wanted, nil when it is not.
    /// Silent (newest value `last`, or the start when none, older than `threshold`): wanted.
    /// Open (since `raisedAt`) and values arriving again: still wanted until they have kept
    /// arriving for `clearAfter`, measured from the first new value an evaluation (every
    /// second) saw to the newest. Open but no longer beyond a threshold that grew (after-hours
    /// began) without any new value: cleared.
    private mutating func silence(
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
        guard last - began < clearAfter else {
            recoveringSince[id] = nil
            return nil
        }
        recoveringSince[id] = began
        return "receiving again since \(began.clockText) UTC; clears after \(clearAfter.ageText) of steady values"
    }
}
