import Collector

/// Freshness and health alerts, newest first: when raised, what, and when cleared.
enum AlertsPanel {
    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        let alerts = state.snapshot?.alerts ?? []
        let open = alerts.filter(\.isOpen).count
        let title = open == 0 ? "ALERTS" : "ALERTS (\(open) open)"
        let body = PanelFrame.draw(title, focused: state.focus == .alerts, in: rect, on: &screen)
        guard !body.isEmpty else { return }
        guard !alerts.isEmpty else {
            screen.put("no alerts: every source and symbol is fresh", row: body.row, column: body.column, role: .dim, clipWidth: body.width)
            return
        }
        let skip = min(state.panelScroll[.alerts] ?? 0, max(0, alerts.count - body.height))
        for (offset, alert) in alerts.dropFirst(skip).prefix(body.height).enumerated() {
            var line = "\(alert.raisedAt.clockText) \(alert.isOpen ? "●" : "○") \(alert.subject)  \(alert.message)"
            if let cleared = alert.clearedAt { line += "  (cleared \(cleared.clockText))" }
            let role: CellRole = !alert.isOpen ? .dim : alert.severity == .error ? .error : .warning
            screen.put(line, row: body.row + offset, column: body.column, role: role, clipWidth: body.width)
        }
    }

}
