import Collector

/// The whole screen as a pure function of the view state and the terminal size:
/// title bar, quote board, side panels (or the detail view), prompt and status
/// line, with the help overlay on top. Also reports how many board rows fit,
/// so paging moves by a screenful.
package struct ScreenRenderer: Sendable {
    /// Below this the screen shows a short message instead of a broken layout.
    package static let minimumWidth = 30
    package static let minimumHeight = 8

    package init() {}

    package func render(_ state: ViewState, width: Int, height: Int) -> (screen: ScreenBuffer, boardRows: Int) {
        var screen = ScreenBuffer(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            screen.put("terminal too small", row: 0, role: .warning)
            screen.put("need \(Self.minimumWidth)x\(Self.minimumHeight), have \(width)x\(height)", row: 1, role: .warning)
            return (screen, state.pageSize)
        }
        StatusLine.drawTitle(state, width: width, on: &screen)
        StatusLine.drawStatus(state, width: width, row: height - 1, on: &screen)
        var body = Rect(row: 1, column: 0, width: width, height: height - 2)
        if StatusLine.drawPrompt(state, width: width, row: height - 2, on: &screen) {
            body.height -= 1
        }
        var boardRows = state.pageSize
        if case .detail(let symbol) = state.mode {
            DetailView.draw(state, symbol: symbol, in: body, on: &screen)
        } else if case .sourceDetail(let source) = state.mode {
            SourceDetailView.draw(state, source: source, in: body, on: &screen)
        } else {
            boardRows = drawBoard(state, in: body, on: &screen)
        }
        if case .help = state.mode {
            HelpOverlay.draw(width: width, height: height, on: &screen)
        }
        return (screen, boardRows)
    }

    /// The board on top; health, alerts, anomalies (and a fleet's collectors) below it, side by side
    /// when the terminal is wide, stacked when it is narrow.
    private func drawBoard(_ state: ViewState, in body: Rect, on screen: inout ScreenBuffer) -> Int {
        var panels = [Panel.health, .alerts, .anomalies].filter(state.visiblePanels.contains)
        if state.snapshot?.fleet != nil { panels.append(.collectors) }
        let all = state.rows
        let wanted = max(all.count, 1) + 1  // header, and a hint line when empty
        let panelSpace = panels.isEmpty || body.height < 12 ? 0 : max(body.height - wanted, body.height * 2 / 5)
        let (boardRect, lower) = body.splitTop(body.height - panelSpace)
        let rows = QuoteBoardPanel.draw(state, rows: all, in: boardRect, on: &screen)
        guard !lower.isEmpty else { return rows }
        if lower.width >= 100 && panels.count > 1 {
            let (left, right) = lower.splitLeft(lower.width / 2)
            draw(
                panels[0], state, in: Rect(row: left.row, column: left.column, width: left.width - 1, height: left.height),
                on: &screen)
            stack(Array(panels.dropFirst()), state, in: right, on: &screen)
        } else {
            stack(panels, state, in: lower, on: &screen)
        }
        return rows
    }

    /// Panels one above the other; only as many as get three rows each (title,
    /// header, one line), in the order health, alerts, anomalies.
    private func stack(_ panels: [Panel], _ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        let panels = Array(panels.prefix(max(1, rect.height / 3)))
        var rest = rect
        for (index, panel) in panels.enumerated() {
            let share = index == panels.count - 1 ? rest.height : rest.height / (panels.count - index)
            let (top, remaining) = rest.splitTop(share)
            draw(panel, state, in: top, on: &screen)
            rest = remaining
        }
    }

    private func draw(_ panel: Panel, _ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        switch panel {
        case .health: HealthPanel.draw(state, in: rect, on: &screen)
        case .alerts: AlertsPanel.draw(state, in: rect, on: &screen)
        case .anomalies: AnomaliesPanel.draw(state, in: rect, on: &screen)
        case .collectors: CollectorsPanel.draw(state, in: rect, on: &screen)
        case .board: break
        }
    }
}
