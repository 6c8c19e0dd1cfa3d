/// One committed write to the PostgreSQL store, as announced to the terminals that follow it:
/// the change number its rows carry (`change_seq`, from the sequence `ticktop_changes`) and the
/// kinds of rows it holds. `PostgresStore.write` sends it by `NOTIFY` on `channel` inside the
/// write's transaction, so it reaches listeners when (and only if) the rows are committed; a
/// `StoreFollower` then reads the rows stamped with it. The payload stays a few bytes:
/// `42 quotes,bars`.
package struct StoreChange: Sendable, Hashable {
    /// The kinds of rows a write can change.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case quotes, bars, anomalies, alerts, transitions
    }

    /// The `LISTEN`/`NOTIFY` channel, and the name of the sequence numbering the writes.
    package static let channel = "ticktop_changes"

    package var sequence: Int64
    package var kinds: Set<Kind>

    package init(sequence: Int64, kinds: Set<Kind>) {
        self.sequence = sequence
        self.kinds = kinds
    }

    /// The kinds of rows `batch` holds.
    package static func kinds(of batch: StoreBatch) -> Set<Kind> {
        var kinds: Set<Kind> = []
        if !batch.quotes.isEmpty { kinds.insert(.quotes) }
        if !batch.bars.isEmpty { kinds.insert(.bars) }
        if !batch.anomalies.isEmpty { kinds.insert(.anomalies) }
        if !batch.alerts.isEmpty { kinds.insert(.alerts) }
        if !batch.transitions.isEmpty { kinds.insert(.transitions) }
        return kinds
    }

    /// The kinds as the payload names them after the number: `quotes,bars` (in `Kind` order).
    package static func kindList(_ kinds: Set<Kind>) -> String {
        Kind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: ",")
    }

    /// `42 quotes,bars`.
    package var payload: String { "\(sequence) \(Self.kindList(kinds))" }

    /// Reads a payload; nil for one this build does not understand (a follower then reads everything again).
    package init?(payload: String) {
        let parts = payload.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let sequence = Int64(first) else { return nil }
        var kinds: Set<Kind> = []
        for name in parts.count > 1 ? parts[1].split(separator: ",") : [] {
            guard let kind = Kind(rawValue: String(name)) else { return nil }
            kinds.insert(kind)
        }
        self.init(sequence: sequence, kinds: kinds)
    }
}
