/// Which source is shown per symbol, why a less preferred one is (the failover reason), and
/// which sources disagree. Comparing comes before choosing: with three or more usable sources
/// an outlier is identified and not shown while it disagrees; the choice itself is
/// `SourceSelector`'s, with its hysteresis. Pure value: `MarketState` owns one and feeds it
/// each symbol's candidates and the time.
package struct SelectionBook: Sendable {
    package let consensus: ConsensusChecker
    package private(set) var selector: SourceSelector
    /// The source shown per symbol, as the selector last decided.
    package private(set) var shown: [Symbol: SourceID] = [:]
    package private(set) var failoverReasons: [Symbol: String] = [:]
    package private(set) var disagreements: [Symbol: [ConsensusChecker.Disagreement]] = [:]
    /// The source each settled symbol is settled on (see `isSettled`), as of its last
    /// `reevaluate`: one look-up for the check `MarketState` makes for every quote. A cache, right
    /// only because `failoverReasons`, `disagreements` and the selector change nowhere but in
    /// `reevaluate`, which refreshes it last (`retain` drops it with the selector's choices).
    private var settled: [Symbol: SourceID] = [:]

    package init(selection: SourceSelector.Settings, consensus: ConsensusChecker) {
        self.consensus = consensus
        self.selector = SourceSelector(settings: selection)
    }

    /// Re-compares the sources of `symbol` and re-decides the shown one from its `candidates`
    /// (most preferred first). Returns an anomaly when the sources began to disagree.
    package mutating func reevaluate(_ symbol: Symbol, candidates: [SourceSelector.Candidate], at now: Timestamp) -> Anomaly? {
        assert(settled[symbol] == settledSource(symbol), "stale settled cache of \(symbol): changed outside reevaluate")
        var candidates = candidates
        let usable = candidates.filter(\.usable).map(\.quote)
        let found = consensus.disagreements(among: usable)
        if usable.count >= 3 {
            let outliers = Set(found.map(\.source))
            for index in candidates.indices where outliers.contains(candidates[index].source) {
                candidates[index].usable = false
                candidates[index].reason = "disagrees with the other sources"
            }
        }
        let (chosen, change) = selector.select(symbol, from: candidates, at: now)
        shown[symbol] = chosen
        defer { settle(symbol, on: chosen, usable: candidates.contains { $0.source == chosen && $0.usable }) }
        if let change {
            failoverReasons[symbol] =
                change.isFailover
                ? "shown from \(change.to.label) since \(change.at.clockText): \(change.reason)"
                : nil
        } else if let preferred = candidates.first, chosen == preferred.source {
            if !failoverReasons.isEmpty { failoverReasons[symbol] = nil }  // none held: nothing to look up
        } else if let preferred = candidates.first, let chosen, failoverReasons[symbol] == nil {
            // A more preferred source appeared while another was shown: say why it is not used yet.
            let why = preferred.reason ?? "not yet usable for \(selector.settings.returnAfter.ageText)"
            failoverReasons[symbol] = "shown from \(chosen.label): \(preferred.source.label) \(why)"
        }
        if found.isEmpty {
            if !disagreements.isEmpty { disagreements[symbol] = nil }
            return nil
        }
        let isNew = disagreements[symbol] == nil
        disagreements[symbol] = found
        guard isNew, let subject = usable.first(where: { $0.source == found[0].source }) else { return nil }
        return Anomaly(
            rule: "sources-disagree", severity: .warning,
            fields: usable.map { Anomaly.Field($0.source.label, $0.level.value) } + [Anomaly.Field("median", found[0].median)],
            message: Self.describe(found), detectedAt: now, quarantined: false, subject: .quote(subject))
    }

    /// Whether re-deciding `symbol` from one usable candidate of `source` alone would change
    /// nothing: it is shown and held by the selector, which counts it usable already, and no
    /// failover reason or disagreement is held for the symbol (`reevaluate` would keep all that).
    package func isSettled(_ symbol: Symbol, on source: SourceID) -> Bool {
        settled[symbol] == source
    }

    /// What `settled` holds for `symbol` when it is right, computed: checked (debug builds) as
    /// `reevaluate` begins, not where it is read: that is every quote (apply took a third more
    /// instructions in a debug build), and a stale cache shows at the next `reevaluate` anyway.
    private func settledSource(_ symbol: Symbol) -> SourceID? {
        guard let chosen = shown[symbol], selector.holds(symbol, usable: chosen),
            failoverReasons[symbol] == nil, disagreements[symbol] == nil
        else { return nil }
        return chosen
    }

    /// Keeps `isSettled` for `symbol` after `reevaluate` decided `chosen`: the selector holds a
    /// source counted usable exactly when the candidate it chose was usable (a source with no
    /// candidate is never chosen).
    private mutating func settle(_ symbol: Symbol, on chosen: SourceID?, usable: Bool) {
        if let chosen, usable, failoverReasons.isEmpty || failoverReasons[symbol] == nil,
            disagreements.isEmpty || disagreements[symbol] == nil
        {
            settled[symbol] = chosen
        } else if !settled.isEmpty {
            settled[symbol] = nil
        }
    }

    /// The source to show for `symbol`: the selector's decision, or before it has decided, its
    /// first choice among `candidates` (`SourceSelector.firstChoice`).
    package func shownSource(_ symbol: Symbol, candidates: @autoclosure () -> [SourceSelector.Candidate]) -> SourceID? {
        shown[symbol] ?? SourceSelector.firstChoice(among: candidates())?.source
    }

    /// Forgets symbols no longer watched.
    package mutating func retain(_ symbols: Set<Symbol>) {
        selector.retain(symbols)
        settled = settled.filter { symbols.contains($0.key) }
    }

    /// `SIM2 102.00 vs median 100.00 (+200 bps > 51 bps)`, one clause per source; a source
    /// compared by its last trade (no bid and ask) says so: `FINNHUB 102.00 (last) vs ...`.
    package static func describe(_ found: [ConsensusChecker.Disagreement]) -> String {
        "sources disagree: "
            + found.map { d in
                let sign = d.mid >= d.median ? "+" : "-"
                let level = d.levelName == "mid" ? "" : " (\(d.levelName))"
                return
                    "\(d.source.label) \(formatValue(d.mid))\(level) vs median \(formatValue(d.median)) (\(sign)\(Int(d.basisPoints.rounded())) bps > \(Int(d.tolerance.rounded())) bps)"
            }.joined(separator: "; ")
    }
}
