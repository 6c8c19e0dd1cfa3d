import Collector

/// One row per source: state, latency, errors in the last minute, messages per
/// second, a live stream's reconnects and coalesced/dropped values, bars revised, feed delay, last success,
/// rate-limit budget and why it is in its state: beside the figures when it fits, else wrapped
/// on lines under its source, so a reason is never cut to a few characters. Figures that still
/// do not fit are left out whole (`dropOrder`), never cut to a misleading few characters.
/// Focused, it highlights the selected source (`SourceDetailView` shows it in full).
enum HealthPanel {
    /// The columns left out, first to last, while the figures are wider than the panel; the
    /// source, its state and its feed delay always stay.
    static let dropOrder = ["P95", "MSG/s", "COAL/DROP", "RECONN", "REVISED", "LIMIT", "FOR", "P50", "ERR/1m", "LAST OK"]

    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        let body = PanelFrame.draw("SOURCES", focused: state.focus == .health, in: rect, on: &screen)
        guard let snapshot = state.snapshot, !body.isEmpty else { return }
        let streams = StreamColumns(snapshot)
        let revisions = RevisionColumn(snapshot)
        var table = TextTable(
            columns: [
                .init("SOURCE"), .init("STATE"), .init("FOR", .right), .init("P50", .right), .init("P95", .right),
                .init("ERR/1m", .right), .init("MSG/s", .right)
            ] + streams.columns + revisions.columns + [
                .init("DELAY", .right), .init("LAST OK", .right), .init("LIMIT", .right), .init("DETAIL")
            ])
        var rows: [[String]] = []
        for h in snapshot.sources {
            rows.append(
                [
                    h.source.label, h.state.rawValue, h.stateSince.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-",
                    DisplayFormat.milliseconds(h.latencyP50Milliseconds ?? h.latencyMilliseconds),
                    DisplayFormat.milliseconds(h.latencyP95Milliseconds ?? h.latencyMilliseconds), "\(h.errorsLastMinute)",
                    DisplayFormat.fixed(h.messagesPerSecond, 1)
                ] + streams.cells(h) + revisions.cells(h) + [
                    DisplayFormat.age(snapshot.feedDelay(of: h.source)),
                    h.lastSuccess.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-",
                    h.rateLimitRemaining.map(String.init) ?? "-", h.detail ?? ""
                ])
        }
        table.rows = rows
        var lines = table.lines()
        // Each line with the index of its source, to highlight and keep visible the selected one.
        var entries: [(text: String, role: CellRole, source: Int)] = zip(lines.dropFirst(), snapshot.sources).enumerated()
            .map { ($0.element.0, Self.role(for: $0.element.1.state), $0.offset) }
        if lines.contains(where: { $0.count > body.width }) {
            // The reasons do not fit beside the figures: each goes, wrapped, on lines under its source.
            table.columns.removeLast()
            table.rows = rows.map { Array($0.dropLast()) }
            lines = table.lines()
            for title in dropOrder where lines.contains(where: { $0.count > body.width }) {
                guard let index = table.columns.firstIndex(where: { $0.title == title }) else { continue }
                table.columns.remove(at: index)
                table.rows = table.rows.map { row in
                    var row = row
                    row.remove(at: index)
                    return row
                }
                lines = table.lines()
            }
            entries = []
            for (index, (line, h)) in zip(lines.dropFirst(), snapshot.sources).enumerated() {
                let role = Self.role(for: h.state)
                entries.append((line, role, index))
                guard let detail = h.detail, !detail.isEmpty else { continue }
                let wrapped = TextWrap.lines(detail, width: body.width - 7)
                entries += wrapped.enumerated().map { (($0.offset == 0 ? "  why: " : "       ") + $0.element, role, index) }
            }
        }
        // Focused: the selected source is highlighted and scrolled into view (Enter opens it).
        let focused = state.focus == .health
        let selected = min(state.sourceSelection, snapshot.sources.count - 1)
        let visible = max(body.height - 1, 1)
        let first = entries.firstIndex { $0.source == selected } ?? 0
        let skip = focused ? max(0, first - visible + 1) : 0
        screen.put(lines[0], row: body.row, column: body.column, role: .header, clipWidth: body.width)
        for (offset, entry) in entries.dropFirst(skip).prefix(visible).enumerated() {
            let row = body.row + 1 + offset
            guard row < body.row + body.height else { break }
            screen.put(entry.text, row: row, column: body.column, role: entry.role, clipWidth: body.width)
            if focused && entry.source == selected {
                screen.paint(row: row, column: body.column, width: body.width, role: .selection)
            }
        }
    }

    static func role(for state: HealthState) -> CellRole {
        switch state {
        case .streaming, .polling: .text
        case .degraded, .noKey, .halfOpen, .rateLimited, .notCollected: .warning
        case .down, .circuitOpen, .formatChanged: .error
        case .starting, .disabled: .dim
        }
    }
}
