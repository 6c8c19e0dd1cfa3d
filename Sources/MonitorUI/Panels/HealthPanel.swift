import Collector

/// One row per source: state, latency, errors in the last minute, messages per
/// second, a live stream's reconnects and coalesced/dropped values, last success,
/// rate-limit budget and why it is in its state.
enum HealthPanel {
    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        let body = PanelFrame.draw("SOURCES", focused: state.focus == .health, in: rect, on: &screen)
        guard let snapshot = state.snapshot, !body.isEmpty else { return }
        let streams = StreamColumns(snapshot)
        var table = TextTable(columns: [
            .init("SOURCE"), .init("STATE"), .init("FOR", .right), .init("P50", .right), .init("P95", .right),
            .init("ERR/1m", .right), .init("MSG/s", .right),
        ] + streams.columns + [.init("LAST OK", .right), .init("LIMIT", .right), .init("DETAIL")])
        for h in snapshot.sources {
            table.append([
                h.source.label, h.state.rawValue, h.stateSince.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-",
                DisplayFormat.milliseconds(h.latencyP50Milliseconds ?? h.latencyMilliseconds),
                DisplayFormat.milliseconds(h.latencyP95Milliseconds ?? h.latencyMilliseconds), "\(h.errorsLastMinute)",
                DisplayFormat.fixed(h.messagesPerSecond, 1),
            ] + streams.cells(h) + [
                h.lastSuccess.map { DisplayFormat.age(snapshot.takenAt - $0) } ?? "-",
                h.rateLimitRemaining.map(String.init) ?? "-", h.detail ?? "",
            ])
        }
        let lines = table.lines()
        let skip = min(state.panelScroll[.health] ?? 0, max(0, lines.count - body.height))
        for (offset, line) in ([lines[0]] + lines.dropFirst(1 + skip)).prefix(body.height).enumerated() {
            let role: CellRole
            if offset == 0 {
                role = .header
            } else {
                role = Self.role(for: snapshot.sources[offset - 1 + skip].state)
            }
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
