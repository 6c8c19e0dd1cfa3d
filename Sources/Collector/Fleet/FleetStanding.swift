/// How this collector stands in its fleet (`FleetCoordinator.standing`): what `/healthz`, the log
/// and the metrics say about its rounds.
///
/// The rule: a collector is out of its fleet (`problem(at:)` says why, `/healthz` answers 503)
/// once its rounds have failed for at least one renewal interval with no round succeeding since,
/// i.e. from the end of the first failed round until the retry a renewal later has failed too, or
/// has not ended. One failed round alone is not enough (its retry may work); a round that
/// succeeds makes it healthy again at once. A collector failing for a whole lease TTL has lost its
/// leases: the others collect its symbols, and fencing keeps it from writing them.
public struct FleetStanding: Sendable, Hashable {
    /// When the latest successful round ended; nil before the first.
    public var lastRoundAt: Timestamp?
    /// When the first of the rounds failing since the last success failed; nil while rounds work.
    public var failingSince: Timestamp?
    /// Why the latest round failed, in a few words (`store unreachable`, or the store's message).
    public var failure: String?
    /// The symbols held after the latest successful round.
    public var held: Int
    /// `renew_every`: how long rounds may fail before the collector counts as out of the fleet.
    public var renewInterval: Duration

    package init(
        lastRoundAt: Timestamp? = nil, failingSince: Timestamp? = nil, failure: String? = nil, held: Int = 0,
        renewInterval: Duration
    ) {
        self.lastRoundAt = lastRoundAt
        self.failingSince = failingSince
        self.failure = failure
        self.held = held
        self.renewInterval = renewInterval
    }

    /// True once the rounds have failed for a renewal interval with no success since.
    public func isOut(at now: Timestamp) -> Bool {
        guard let failingSince else { return false }
        return now - failingSince >= renewInterval
    }

    /// Why this collector is out of its fleet at `now`, or nil while it is in it:
    /// `cannot join the fleet: store unreachable since 2026-01-01 00:00:00 UTC` when no round has
    /// ever worked, `fleet rounds failing since 2026-01-01 00:00:00 UTC (store unreachable)` after.
    public func problem(at now: Timestamp) -> String? {
        guard isOut(at: now), let since = failingSince else { return nil }
        let cause = failure ?? "rounds failing"
        return lastRoundAt == nil
            ? "cannot join the fleet: \(cause) \(since.sinceText)" : "fleet rounds failing \(since.sinceText) (\(cause))"
    }

    /// After the drain (`FleetCoordinator.leave`): why `ticktop collect` exits 1, or nil when it left
    /// the fleet. A collector that never joined collected nothing; one that could not leave keeps
    /// its leases until they expire, and the others take its symbols over after the lease TTL.
    public var leaveProblem: String? {
        guard let since = failingSince else { return nil }
        let cause = failure ?? "rounds failing"
        return lastRoundAt == nil
            ? "this collector never joined the fleet (\(cause) \(since.sinceText)): it collected nothing"
            : "this collector could not leave the fleet (\(cause) \(since.sinceText)):"
                + " the others take its symbols after the lease TTL"
    }
}

extension Timestamp {
    /// `since 2026-01-01 00:00:00 UTC`.
    fileprivate var sinceText: String { "since \(utcDateText) \(clockText) UTC" }
}
