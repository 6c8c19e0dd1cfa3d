import Collector

/// Renders a snapshot as the plain-text `--once` report: the quote table, then
/// source health, recent anomalies, stored history and the verdict.
public struct OnceTextReport: Sendable {
    package var snapshot: MarketSnapshot
    package var history: [HistoryCount]
    /// Where the store is (a path, or `memory`); how its writes stand is the snapshot's `store`.
    package var store: String?
    /// Per series the backfill judged: stored range and missing windows.
    package var coverage: [SeriesCoverage]
    /// What the run had not got when it ended.
    package var missing: OnceMissing?
    /// Most anomalies listed; the count of the rest is given.
    package var anomalyLimit = 10

    public init(
        snapshot: MarketSnapshot, history: [HistoryCount], store: String?, missing: OnceMissing? = nil,
        coverage: [SeriesCoverage] = []
    ) {
        self.snapshot = snapshot
        self.history = history
        self.store = store
        self.coverage = coverage
        self.missing = missing
    }

    public func render() -> String {
        var out: [String] = []
        out += QuoteBoardText.lines(snapshot)
        let sessions = sessionLines()
        out += sessions
        let closes = previousCloseLines()
        if !closes.isEmpty && sessions.isEmpty { out.append("") }
        out += closes
        out.append("")
        out += SourceHealthText.lines(snapshot)
        out += notes()
        if let fleet = snapshot.fleet {
            out.append("")
            out += FleetText.lines(fleet, at: snapshot.takenAt)
        }
        out.append("")
        out += alertLines()
        out.append("")
        out += anomalyLines()
        if !history.isEmpty {
            out.append("")
            out += historyLines()
        }
        if !coverage.isEmpty {
            out.append("")
            out += coverageLines()
        }
        if let lines = missing?.lines(), !lines.isEmpty {
            out.append("")
            out += lines
        }
        out.append("")
        let verdict = OnceVerdict(snapshot, missing: missing, coverage: coverage)
        out.append("status: \(verdict.summary) (exit \(verdict.exitCode))")
        return out.joined(separator: "\n") + "\n"
    }

    /// `SESSIONS  US closed (Thanksgiving) · FX open · crypto open`, for the markets watched.
    func sessionLines() -> [String] {
        var markets: [String] = []
        for symbol in snapshot.symbols {
            let market =
                switch symbol.symbol.assetClass {
                case .equity, .index: "US"
                case .fx: "FX"
                case .crypto: "crypto"
                }
            let text = "\(market) \(symbol.session)"
            if !markets.contains(where: { $0.hasPrefix(market + " ") }) { markets.append(text) }
        }
        return markets.isEmpty ? [] : ["", "SESSIONS  " + markets.joined(separator: " · ")]
    }

    /// Where CHG's previous close came from, symbols grouped by source, kind and session:
    /// `PREV CLOSE  SIM daily bar 2026-02-26: AAPL, MSFT · YAHOO quote 2026-02-27: BTC-USD`.
    func previousCloseLines() -> [String] {
        var groups: [(origin: String, symbols: [String])] = []
        for symbol in snapshot.symbols {
            guard let origin = symbol.previousCloseSource?.description else { continue }
            if let index = groups.firstIndex(where: { $0.origin == origin }) {
                groups[index].symbols.append(symbol.symbol.rawValue)
            } else {
                groups.append((origin, [symbol.symbol.rawValue]))
            }
        }
        guard !groups.isEmpty else { return [] }
        return ["PREV CLOSE  " + groups.map { "\($0.origin): \($0.symbols.joined(separator: ", "))" }.joined(separator: " · ")]
    }

    /// One line per symbol shown from a backup source or as a last known good value, or with no
    /// value and a source's word why.
    func notes() -> [String] {
        let lines = snapshot.symbols.compactMap { s -> String? in
            if let reason = s.noDataReason { return "\(s.symbol): no data: \(reason)" }
            if let reason = s.staleReason { return "\(s.symbol): \(reason)" }
            if let reason = s.failoverReason { return "\(s.symbol): \(reason)" }
            return nil
        }
        return lines.isEmpty ? [] : [""] + lines
    }

    func alertLines() -> [String] {
        var lines = alertTable(snapshot.alerts, title: "ALERT", open: "open") ?? ["ALERTS  none"]
        if let earlier = alertTable(snapshot.earlierAlerts, title: "EARLIER RUNS", open: "open at exit") {
            lines += [""] + earlier
        }
        return lines
    }

    private func alertTable(_ alerts: [Alert], title: String, open: String) -> [String]? {
        guard !alerts.isEmpty else { return nil }
        var table = TextTable(columns: [.init(title), .init("SUBJECT"), .init("RAISED"), .init("CLEARED"), .init("DETAIL")])
        for a in alerts.prefix(anomalyLimit) {
            table.append([a.kind.rawValue, a.subject, a.raisedAt.iso8601, a.clearedAt?.iso8601 ?? open, a.message])
        }
        return table.lines()
    }

    func anomalyLines() -> [String] {
        let anomalies = snapshot.recentAnomalies
        guard !anomalies.isEmpty else { return ["ANOMALIES  none this run"] }
        var table = TextTable(columns: [
            .init("ANOMALY"), .init("SEVERITY"), .init("SYMBOL"), .init("SRC"), .init("VALUE TIME"), .init("DETAIL")
        ])
        for a in anomalies.prefix(anomalyLimit) {
            table.append([
                a.rule, a.severity.rawValue, a.symbol.rawValue, a.source.label, a.subject.time.iso8601,
                (a.quarantined ? "quarantined: " : "") + a.message
            ])
        }
        var lines = table.lines()
        if snapshot.anomalyCount > anomalyLimit {
            lines.append("... and \(snapshot.anomalyCount - min(anomalyLimit, anomalies.count)) more")
        }
        return lines
    }

    func historyLines() -> [String] {
        let daily = history.reduce(0) { $0 + $1.dailyBars }
        let minute = history.reduce(0) { $0 + $1.minuteBars }
        var line =
            "HISTORY  \(daily) daily and \(minute) minute bars stored for \(history.count) symbol\(history.count == 1 ? "" : "s")"
        if let store { line += " in \(store)" }
        if let writes = snapshot.store, let unstored = StoreWriteText.unstored(writes) { return [line, "STORE  \(unstored)"] }
        return [line]
    }

    /// One row per series (stored range, missing count), then the missing windows, at most
    /// `anomalyLimit` of them.
    func coverageLines() -> [String] {
        var table = TextTable(columns: [
            .init("COVERAGE"), .init("TF"), .init("STORED"), .init("FIRST"), .init("LAST"), .init("MISSING")
        ])
        for c in coverage {
            table.append([
                c.symbol.rawValue, c.timeframe.rawValue, "\(c.storedBars)", c.stored?.lowerBound.iso8601 ?? "-",
                c.stored?.upperBound.iso8601 ?? "-",
                c.isComplete ? "none" : "\(c.missingBars) bars in \(c.missing.count) window\(c.missing.count == 1 ? "" : "s")"
            ])
        }
        var lines = table.lines()
        let holes = coverage.flatMap { c in c.missing.map { (c, $0) } }
        for (c, gap) in holes.prefix(anomalyLimit) {
            lines.append("missing \(c.symbol) \(c.timeframe.rawValue): \(gap)")
        }
        if holes.count > anomalyLimit { lines.append("... and \(holes.count - anomalyLimit) more missing windows") }
        return lines
    }
}
