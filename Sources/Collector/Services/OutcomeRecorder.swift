import Logging

/// Where what a change of `MarketState` produced (`StateOutcome`) goes: each health transition
/// is logged (a move into an unavailable or rate-limited state as a warning) and everything to
/// keep is queued for the store. Every caller of `apply`, `tick` and `setWatchlist` records the
/// outcome of its own call, so a transition is logged and stored by the call that caused it.
struct OutcomeRecorder: Sendable {
    let sink: (any StoreSink)?
    let logger: Logger?
    /// Where each source's state is shown as a gauge (`ticktop_source_state`).
    var metrics: CollectorMetrics = .off

    /// Logs the outcome's transitions and queues what it holds for the store, in one write with
    /// `values` (what the change applied, when that is stored too).
    func record(_ outcome: StateOutcome, with values: @autoclosure () -> StoreBatch = StoreBatch()) {
        for t in outcome.transitions {
            let level: Logger.Level = t.to.isUnavailable || t.to == .rateLimited ? .warning : .info
            logger?.log(
                level: level, "source \(t.source.label) \(t.from.rawValue) -> \(t.to.rawValue)",
                metadata: ["source": "\(t.source)", "detail": "\(t.detail ?? "")"])
            metrics.sourceState(t.source, t.to)
        }
        guard let sink else { return }
        var batch = values()
        batch.append(contentsOf: outcome.toStore)
        if !batch.isEmpty { sink.submit(batch) }
    }
}
