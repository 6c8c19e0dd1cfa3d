import Collector

/// One source in full, opened with Enter on the SOURCES panel: why it is in its state
/// (wrapped, never cut), its failing parts, feed delay, rate-limit budget or pause, last
/// success and error, and its counters, one labelled item each.
enum SourceDetailView {
    /// Width of the label column (`why`, `budget`, ...).
    static let labelWidth = 11

    static func draw(_ state: ViewState, source: SourceID, in rect: Rect, on screen: inout ScreenBuffer) {
        guard let snapshot = state.snapshot, let health = snapshot.sources.first(where: { $0.source == source }) else {
            screen.put(
                "\(source.label): no such source any more   Esc back", row: rect.row, column: rect.column, role: .warning,
                clipWidth: rect.width)
            return
        }
        let now = snapshot.takenAt
        let since = health.stateSince.map { " for \(DisplayFormat.age(now - $0))" } ?? ""
        let title = "SOURCE \(health.source.label) (\(health.kind))  \(health.state.rawValue)\(since)   r refresh  Esc back"
        screen.put(title, row: rect.row, column: rect.column, role: .header, clipWidth: rect.width)
        var row = rect.row + 2
        for (label, text, role) in items(health, state: state, snapshot: snapshot) {
            let lines = TextWrap.lines(text, width: max(rect.width - labelWidth, 10))
            for (offset, line) in lines.enumerated() {
                guard row < rect.row + rect.height else { return }
                if offset == 0 { screen.put(label, row: row, column: rect.column, role: .dim, clipWidth: labelWidth) }
                screen.put(line, row: row, column: rect.column + labelWidth, role: role, clipWidth: rect.width - labelWidth)
                row += 1
            }
        }
    }

    /// The labelled items, in reading order; the text is wrapped by `draw`.
    static func items(_ h: SourceHealth, state: ViewState, snapshot: MarketSnapshot) -> [(String, String, CellRole)] {
        let now = snapshot.takenAt
        var items: [(String, String, CellRole)] = [
            ("why", h.detail.flatMap { $0.isEmpty ? nil : $0 } ?? "no reason given", HealthPanel.role(for: h.state))
        ]
        for part in h.failingParts ?? [] {
            let symbols = part.symbols.isEmpty ? "" : " (\(part.symbols.map(\.rawValue).joined(separator: ", ")))"
            items.append(
                (
                    "failing", "\(part.name) \(part.state.rawValue) since \(part.since.clockText) UTC\(symbols): \(part.detail)",
                    HealthPanel.role(for: part.state)
                ))
        }
        let delay = snapshot.feedDelay(of: h.source)
        items.append(
            (
                "delay",
                delay.map { "\(DisplayFormat.age($0)) between exchange time and receipt (median of its latest quotes)" }
                    ?? "- (no quote yet)", .text
            ))
        items.append(("budget", budget(h, state: state), state.sourceBudget?.status?.pausedUntil == nil ? .text : .warning))
        items.append(
            ("last ok", h.lastSuccess.map { "\(DisplayFormat.age(now - $0)) ago, at \($0.clockText) UTC" } ?? "never", .text))
        if let error = h.lastError {
            let when = h.lastErrorAt.map { "\(DisplayFormat.age(now - $0)) ago, at \($0.clockText) UTC: " } ?? ""
            items.append(("last error", when + error, .error))
        } else {
            items.append(("last error", "none", .text))
        }
        let latency =
            "latency p50 \(DisplayFormat.milliseconds(h.latencyP50Milliseconds ?? h.latencyMilliseconds))"
            + " p95 \(DisplayFormat.milliseconds(h.latencyP95Milliseconds ?? h.latencyMilliseconds))"
        items.append(
            (
                "counters",
                "\(DisplayFormat.count(h.messageCount)) values · \(DisplayFormat.count(h.errorCount)) errors (\(h.errorsLastMinute) in the last minute)"
                    + " · \(DisplayFormat.fixed(h.messagesPerSecond, 1)) values/s · \(latency) · \(h.transitions) state change\(h.transitions == 1 ? "" : "s")"
                    + " · \(DisplayFormat.count(h.barsRevised)) bars revised",
                .text
            ))
        if let stream = h.stream {
            items.append(
                ("stream", "\(stream.reconnects) reconnects · \(stream.coalesced) coalesced · \(stream.dropped) dropped", .text))
        }
        return items
    }

    /// The limiter's budget as read for this view (`3 of 25 left; next back ...`, or the pause),
    /// else the last count the source reported.
    static func budget(_ h: SourceHealth, state: ViewState) -> String {
        if let loaded = state.sourceBudget, loaded.source == h.source {
            return loaded.status?.summary ?? "no rate limit"
        }
        return h.rateLimitRemaining.map { "\($0) requests left in this window" } ?? "reading…"
    }
}
