import Collector

/// Freshness and health alerts, newest first: when raised, what, and when
/// cleared; below them, dimmed, what earlier runs recorded (with dates).
enum AlertsPanel {
    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        let alerts = state.snapshot?.alerts ?? []
        let earlier = state.snapshot?.earlierAlerts ?? []
        let open = alerts.filter(\.isOpen).count
        let title = open == 0 ? "ALERTS" : "ALERTS (\(open) open)"
        let body = PanelFrame.draw(title, focused: state.focus == .alerts, in: rect, on: &screen)
        guard !body.isEmpty else { return }
        var lines: [(String, CellRole)] = alerts.map { alert in
            var line = "\(alert.raisedAt.clockText) \(alert.isOpen ? "●" : "○") \(alert.subject)  \(alert.message)"
            if let cleared = alert.clearedAt { line += "  (cleared \(cleared.clockText))" }
            return (line, !alert.isOpen ? .dim : alert.severity == .error ? .error : .warning)
        }
        if alerts.isEmpty {
            // A viewer shows the collectors' stored alerts: with none alive, nobody raises any.
            let noCollector = state.snapshot?.follow?.fleetAlive == false
            let text =
                noCollector
                ? "no alerts stored: no collector is alive to raise them" : "no alerts: every source and symbol is fresh"
            lines.append((text, .dim))
        }
        if !earlier.isEmpty {
            lines.append(("earlier runs:", .dim))
            lines += earlier.map { alert in
                let raised = alert.raisedAt.iso8601
                let when = "\(raised.dropFirst(5).prefix(5)) \(alert.raisedAt.clockText.prefix(5))"
                let end = alert.clearedAt.map { "cleared \($0.clockText.prefix(5))" } ?? "open at exit"
                return ("\(when) ○ \(alert.subject)  \(alert.message)  (\(end))", .dim)
            }
        }
        // Wrapped, not clipped: the message is the reason, and a reason is read in full.
        lines = lines.flatMap { line, role in TextWrap.lines(line, width: body.width, indent: 11).map { ($0, role) } }
        let skip = min(state.panelScroll[.alerts] ?? 0, max(0, lines.count - body.height))
        for (offset, (line, role)) in lines.dropFirst(skip).prefix(body.height).enumerated() {
            screen.put(line, row: body.row + offset, column: body.column, role: role, clipWidth: body.width)
        }
    }

}
