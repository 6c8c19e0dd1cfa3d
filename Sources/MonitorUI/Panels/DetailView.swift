import Collector

/// One symbol in full: why it has no value (when it has none), its price chart at the chosen
/// timeframe and mode, the last bars as a table, the quote from every source side by side with
/// its feed delay, where the previous close came from, and its anomalies.
enum DetailView {
    static func draw(_ state: ViewState, symbol: Symbol, in rect: Rect, on screen: inout ScreenBuffer) {
        let row = state.snapshot?.symbol(symbol) ?? SymbolSnapshot.empty(symbol)
        let quote = QuoteRow(row, at: state.snapshot?.takenAt ?? .zero)
        let title =
            "\(symbol)  \(quote.last) \(quote.change) (\(quote.changePercent))  \(quote.source) \(quote.age)  "
            + "\(state.detailTimeframe.rawValue) \(state.chartMode == .candles ? "candles" : "line")   [ ] timeframe  c chart  Esc back"
        screen.put(title, row: rect.row, column: rect.column, role: .header, clipWidth: rect.width)
        var body = rect.splitTop(1).1
        if row.selected == nil, let reason = row.noDataReason, body.height > 6 {
            // Why there is no value, in full (at most three lines: the chart keeps its room).
            let lines = TextWrap.lines("no data: " + reason, width: body.width, indent: 9).prefix(3)
            for (offset, line) in lines.enumerated() {
                screen.put(line, row: body.row + offset, column: body.column, role: .warning, clipWidth: body.width)
            }
            body = body.splitTop(lines.count).1
        }
        let chartHeight = max(3, body.height * 3 / 5)
        let (chartRect, lower) = body.splitTop(chartHeight)
        if state.detailBars.isEmpty {
            screen.put(
                "loading \(state.detailTimeframe.rawValue) bars…", row: chartRect.row, column: chartRect.column, role: .dim,
                clipWidth: chartRect.width)
        } else {
            PriceChart.render(
                state.detailBars, mode: state.chartMode, into: &screen, rect: chartRect, assetClass: symbol.assetClass)
        }
        guard lower.height >= 2 else { return }
        let previousClose = row.previousClose.map { close in
            "prev close \(DisplayFormat.price(close, assetClass: symbol.assetClass))"
                + (row.previousCloseSource.map { " from \($0)" } ?? "")
        }
        // DELAY: how long after its exchange time this source's quote arrived (its feed delay).
        var table = TextTable(columns: [
            .init("SRC"), .init("BID", .right), .init("ASK", .right), .init("LAST", .right), .init("AGE", .right),
            .init("DELAY", .right)
        ])
        for q in row.quotes {
            table.append([
                q.source.label, DisplayFormat.price(q.bid, assetClass: symbol.assetClass),
                DisplayFormat.price(q.ask, assetClass: symbol.assetClass),
                DisplayFormat.price(q.last, assetClass: symbol.assetClass),
                DisplayFormat.age(q.age(at: state.snapshot?.takenAt ?? .zero)),
                DisplayFormat.age(q.feedDelay)
            ])
        }
        // The quotes get the width they need (up to all but 30 columns); the bars table takes the rest.
        let wanted = max(table.lines().map(\.count).max() ?? 0, previousClose?.count ?? 0) + 1
        let rightWidth = min(max(lower.width - lower.width / 2, wanted), max(lower.width - 30, lower.width - lower.width / 2))
        let (left, right) = lower.splitLeft(lower.width - rightWidth)
        let barsTitle = state.detailBars.last.map { "BARS FROM \($0.source.label)" } ?? "BARS"
        let barsBody = PanelFrame.draw(barsTitle, focused: false, in: left, on: &screen)
        for (offset, line) in BarTable.lines(state.detailBars, limit: max(0, barsBody.height - 1), assetClass: symbol.assetClass)
            .prefix(barsBody.height).enumerated()
        {
            screen.put(
                line, row: barsBody.row + offset, column: barsBody.column, role: offset == 0 ? .header : .text,
                clipWidth: barsBody.width - 1)
        }
        let quotesHeight = min(right.height, row.quotes.count + (previousClose == nil ? 2 : 3))
        let (quotesRect, anomaliesRect) = right.splitTop(max(quotesHeight, 2))
        let quotesBody = PanelFrame.draw("QUOTES BY SOURCE", focused: false, in: quotesRect, on: &screen)
        for (offset, line) in table.lines().prefix(quotesBody.height).enumerated() {
            screen.put(
                line, row: quotesBody.row + offset, column: quotesBody.column, role: offset == 0 ? .header : .text,
                clipWidth: quotesBody.width)
        }
        // Where CHG's reference comes from, under the quotes (`PreviousCloseRule`).
        if let previousClose, quotesBody.height > row.quotes.count + 1 {
            screen.put(
                previousClose, row: quotesBody.row + row.quotes.count + 1, column: quotesBody.column, role: .dim,
                clipWidth: quotesBody.width)
        }
        AnomaliesPanel.draw(state, in: anomaliesRect, on: &screen, only: symbol)
    }
}
