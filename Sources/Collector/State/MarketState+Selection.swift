extension MarketState {
    /// The latest quote from every source for `symbol`, most preferred first.
    func quotesByPriority(_ symbol: Symbol) -> [Quote] {
        (quotes[symbol] ?? [:]).values.sorted {
            (priority(of: $0.source), $0.source) < (priority(of: $1.source), $1.source)
        }
    }

    /// Each source's quote with whether it may be shown now, and why not.
    func candidates(for symbol: Symbol, at now: Timestamp) -> [SourceSelector.Candidate] {
        quotesByPriority(symbol).map { quote in
            let entry = health[quote.source]
            let age = quote.age(at: now)
            var reason: String?
            if let entry, entry.state.isUnavailable {
                reason = "\(entry.state.rawValue)" + (entry.detail.map { ": \($0)" } ?? "")
            } else if let part = healthBook.unavailablePart(of: quote.source, for: symbol) {
                reason = part.clause  // only this part's symbols fail over; the rest of the source serves
            } else if freshness(of: symbol.assetClass, at: now).isStale(age: age) {
                reason = "stale \(age.ageText)"
            }
            return SourceSelector.Candidate(source: quote.source, quote: quote, usable: reason == nil, reason: reason)
        }
    }

    /// Re-decides the shown source and re-compares the sources for `symbols`.
    /// Records (and returns) an anomaly for each disagreement that began.
    func reevaluate(_ symbols: some Sequence<Symbol>, at now: Timestamp) -> [Anomaly] {
        var began: [Anomaly] = []
        for symbol in symbols {
            var candidates = candidates(for: symbol, at: now)
            // Compare first: with three or more usable sources an outlier is
            // identified, and it is not shown while it disagrees.
            let usable = candidates.filter(\.usable).map(\.quote)
            let found = settings.consensus.disagreements(among: usable)
            if usable.count >= 3 {
                let outliers = Set(found.map(\.source))
                for index in candidates.indices where outliers.contains(candidates[index].source) {
                    candidates[index].usable = false
                    candidates[index].reason = "disagrees with the other sources"
                }
            }
            let (chosen, change) = selector.select(symbol, from: candidates, at: now)
            selection[symbol] = chosen
            if let change {
                failoverReasons[symbol] = change.isFailover
                    ? "shown from \(change.to.label) since \(change.at.clockText): \(change.reason)"
                    : nil
            } else if let preferred = candidates.first, chosen == preferred.source {
                failoverReasons[symbol] = nil
            } else if let preferred = candidates.first, let chosen, failoverReasons[symbol] == nil {
                // A more preferred source appeared while another was shown: say why it is not used yet.
                let why = preferred.reason ?? "not yet usable for \(settings.selection.returnAfter.ageText)"
                failoverReasons[symbol] = "shown from \(chosen.label): \(preferred.source.label) \(why)"
            }
            if found.isEmpty {
                disagreements[symbol] = nil
                continue
            }
            let isNew = disagreements[symbol] == nil
            disagreements[symbol] = found
            guard isNew, let subject = usable.first(where: { $0.source == found[0].source }) else { continue }
            let anomaly = Anomaly(
                rule: "sources-disagree", severity: .warning,
                fields: usable.map { Anomaly.Field($0.source.label, $0.level.value) } + [Anomaly.Field("median", found[0].median)],
                message: Self.describe(found), detectedAt: now, quarantined: false, subject: .quote(subject))
            record(anomaly)
            began.append(anomaly)
        }
        return began
    }

    /// `SIM2 102.00 vs median 100.00 (+200 bps > 51 bps)`, one clause per source; a source
    /// compared by its last trade (no bid and ask) says so: `FINNHUB 102.00 (last) vs ...`.
    static func describe(_ found: [ConsensusChecker.Disagreement]) -> String {
        "sources disagree: " + found.map { d in
            let sign = d.mid >= d.median ? "+" : "-"
            let level = d.levelName == "mid" ? "" : " (\(d.levelName))"
            return "\(d.source.label) \(formatValue(d.mid))\(level) vs median \(formatValue(d.median)) (\(sign)\(Int(d.basisPoints.rounded())) bps > \(Int(d.tolerance.rounded())) bps)"
        }.joined(separator: "; ")
    }

    /// Why the shown value is not fresh: each source's reason, or its age.
    func staleReason(for symbol: Symbol, at now: Timestamp) -> String? {
        let reasons = candidates(for: symbol, at: now).compactMap { c in c.reason.map { "\(c.source.label) \($0)" } }
        return reasons.isEmpty ? nil : "last known good; " + reasons.joined(separator: ", ")
    }
}
