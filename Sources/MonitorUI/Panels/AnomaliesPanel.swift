import Collector

/// Recent validation anomalies: time, symbol, source, rule and offending values.
enum AnomaliesPanel {
    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer, only symbol: Symbol? = nil) {
        let all = state.snapshot?.recentAnomalies ?? []
        let anomalies = symbol.map { s in all.filter { $0.symbol == s } } ?? all
        let count = state.snapshot?.anomalyCount ?? 0
        let title = symbol == nil ? "ANOMALIES (\(count) this run)" : "ANOMALIES"
        let body = PanelFrame.draw(title, focused: state.focus == .anomalies && symbol == nil, in: rect, on: &screen)
        guard !body.isEmpty else { return }
        guard !anomalies.isEmpty else {
            screen.put(
                "none: every value passed validation", row: body.row, column: body.column, role: .dim, clipWidth: body.width)
            return
        }
        let skip = symbol == nil ? min(state.panelScroll[.anomalies] ?? 0, max(0, anomalies.count - body.height)) : 0
        for (offset, anomaly) in anomalies.dropFirst(skip).prefix(body.height).enumerated() {
            let values = anomaly.fields.map {
                "\($0.name)=\(DisplayFormat.price($0.value, assetClass: anomaly.symbol.assetClass))"
            }
            .joined(separator: " ")
            let line = "\(anomaly.detectedAt.clockText) \(anomaly.symbol) \(anomaly.source.label) \(anomaly.rule)  \(values)"
            screen.put(
                line, row: body.row + offset, column: body.column, role: anomaly.severity == .error ? .error : .warning,
                clipWidth: body.width)
        }
    }
}
