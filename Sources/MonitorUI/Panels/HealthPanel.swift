import Collector

/// One row per source: state, latency, errors in the last minute, messages per
/// second, a live stream's reconnects and coalesced/dropped values, bars revised, feed delay, last success,
/// rate-limit budget and why it is in its state: beside the figures when it fits, else wrapped
/// on lines under its source, so a reason is never cut to a few characters. Figures that still
/// do not fit are left out whole (`dropOrder`), never cut to a misleading few characters.
enum HealthPanel {
    /// The columns left out, first to last, while the figures are wider than the panel; the
    /// source, its state and its feed delay always stay.
    static let dropOrder = ["P95", "MSG/s", "COAL/DROP", "RECONN", "REVISED", "LIMIT", "FOR", "P50", "ERR/1m", "LAST OK"]

    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        let body = PanelFrame.draw("SOURCES", focused: state.focus == .health, in: rect, on: &screen)
        guard let snapshot = state.snapshot, !body.isEmpty else { return }
        let streams = StreamColumns(snapshot)
        let revisions = RevisionColumn(snapshot)
        var table = TextTable(columns: [
            .init("SOURCE"), .init("STATE"), .init("FOR", .right), .init("P50", .right), .init("P95", .right),
            .init("ERR/1m", .right), .init("MSG/s", .right),
        ] + streams.columns + revisions.columns + [.init("DELAY", .right), .init("LAST OK", .right), .init("LIMIT", .right), .init("DETAIL")])
        var rows: [[String]] = []
        for h in snapshot.sources {
            rows.append([
                h.source.label, h.state.rawValue, h.stateSince.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-",
                DisplayFormat.milliseconds(h.latencyP50Milliseconds ?? h.latencyMilliseconds),
                DisplayFormat.milliseconds(h.latencyP95Milliseconds ?? h.latencyMilliseconds), "\(h.errorsLastMinute)",
                DisplayFormat.fixed(h.messagesPerSecond, 1),
            ] + streams.cells(h) + revisions.cells(h) + [
                DisplayFormat.age(snapshot.feedDelay(of: h.source)),
                h.lastSuccess.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-",
                h.rateLimitRemaining.map(String.init) ?? "-", h.detail ?? "",
            ])
        }
        table.rows = rows
        var lines = table.lines()
        var entries: [(String, CellRole)] = zip(lines.dropFirst(), snapshot.sources).map { ($0, Self.role(for: $1.state)) }
        if lines.contains(where: { $0.count > body.width }) {
            // The reasons do not fit beside the figures: each goes, wrapped, on lines under its source.
            table.columns.removeLast()
            table.rows = rows.map { Array($0.dropLast()) }
            lines = table.lines()
            for title in dropOrder where lines.contains(where: { $0.count > body.width }) {
                guard let index = table.columns.firstIndex(where: { $0.title == title }) else { continue }
                table.columns.remove(at: index)
                table.rows = table.rows.map { row in var row = row; row.remove(at: index); return row }
                lines = table.lines()
            }
            entries = []
            for (line, h) in zip(lines.dropFirst(), snapshot.sources) {
                let role = Self.role(for: h.state)
                entries.append((line, role))
                guard let detail = h.detail, !detail.isEmpty else { continue }
                let wrapped = TextWrap.lines(detail, width: body.width - 7)
                entries += wrapped.enumerated().map { ($0.offset == 0 ? "  why: " : "       ") + $0.element }.map { ($0, role) }
            }
        }
        let skip = min(state.panelScroll[.health] ?? 0, max(0, entries.count + 1 - body.height))
        let shown = [(lines[0], CellRole.header)] + entries.dropFirst(skip)
        for (offset, (line, role)) in shown.prefix(body.height).enumerated() {
            screen.put(line, row: body.row + offset, column: body.column, role: role, clipWidth: body.width)
        }
    }

    static func role(for state: HealthState) -> CellRole {
        switch state {
        case .streaming, .polling: .text
        case .degraded, .noKey, .halfOpen, .rateLimited: .warning
        case .down, .circuitOpen, .formatChanged: .error
        case .starting, .disabled: .dim
        }
    }
}
