import Collector

/// The quote board: one row per symbol, columns chosen to fit the width
/// (least important dropped first), selection highlighted, stale rows in the
/// stale colour, closed-market rows dimmed, moves coloured. Never blank: a
/// symbol without data shows dashes and NO DATA.
struct QuoteBoardPanel {
    struct Column: Sendable {
        let title: String
        let rightAligned: Bool
        /// Lower survives longer when the terminal is narrow; columns of one priority go
        /// together (BID and ASK: one side of a quote alone misleads). 0 is never dropped.
        let priority: Int
        let minWidth: Int
        let value: @Sendable (QuoteRow, SymbolSnapshot) -> String
    }

    static let sparklineWidth = 12

    static let columns: [Column] = [
        Column(title: "SYMBOL", rightAligned: false, priority: 0, minWidth: 6) { row, _ in row.symbol },
        Column(title: "LAST", rightAligned: true, priority: 0, minWidth: 4) { row, _ in row.last },
        Column(title: "CHG", rightAligned: true, priority: 5, minWidth: 3) { row, _ in row.change },
        Column(title: "CHG%", rightAligned: true, priority: 2, minWidth: 4) { row, _ in row.changePercent },
        Column(title: "BID", rightAligned: true, priority: 6, minWidth: 3) { row, _ in row.bid },
        Column(title: "ASK", rightAligned: true, priority: 6, minWidth: 3) { row, _ in row.ask },
        Column(title: "SPREAD", rightAligned: true, priority: 9, minWidth: 6) { row, _ in row.spread },
        Column(title: "VOLUME", rightAligned: true, priority: 7, minWidth: 6) { row, _ in row.volume },
        Column(title: "TREND", rightAligned: false, priority: 8, minWidth: sparklineWidth) { _, snapshot in
            Sparkline.render(snapshot.recentCloses, width: sparklineWidth)
        },
        Column(title: "SRC", rightAligned: false, priority: 4, minWidth: 3) { row, _ in row.source },
        Column(title: "AGE", rightAligned: true, priority: 1, minWidth: 3) { row, _ in row.age },
        Column(title: "QUALITY", rightAligned: false, priority: 3, minWidth: 7) { row, _ in row.qualityMark }
    ]

    /// How a column is coloured on a clean row (see `role`).
    enum Colouring { case plain, change, tick }

    /// By column index: the change columns by direction since the previous close, LAST by the latest tick.
    static let colourings: [Colouring] = columns.map { column in
        switch column.title {
        case "CHG", "CHG%", "TREND": .change
        case "LAST": .tick
        default: .plain
        }
    }

    /// Draws the board in `rect` and returns how many symbol rows fit. `all` is `state.rows`
    /// when the caller has it already.
    static func draw(_ state: ViewState, rows all: [SymbolSnapshot]? = nil, in rect: Rect, on screen: inout ScreenBuffer)
        -> Int
    {
        guard rect.height >= 1, rect.width >= 10 else { return 0 }
        // Only the rows on screen are formatted; column widths follow them.
        let all = all ?? state.rows
        let visible = max(0, rect.height - 1)
        let shown = all.indices.dropFirst(state.scroll).prefix(visible)
        let snapshots = all[shown]
        let now = state.snapshot?.takenAt ?? .zero
        let rows = snapshots.map { QuoteRow($0, at: now) }
        // Each row and snapshot taken once for its twelve columns (a subscript copies them).
        let cells = zip(rows, snapshots).map { row, snapshot in columns.map { $0.value(row, snapshot) } }
        let counts = cells.map { $0.map(ScreenBuffer.cellCount) }
        let chosen = fit(widths: columnWidths(counts), into: rect.width)

        var header = ""
        for (index, width) in chosen { header += pad(columns[index].title, width, columns[index].rightAligned) + "  " }
        screen.put(header, row: rect.row, column: rect.column, role: .header, clipWidth: rect.width)

        guard !all.isEmpty else {
            let hint =
                state.filter.isEmpty
                ? "this watchlist is empty: press a to add a symbol"
                : "no symbol matches the filter '\(state.filter)' (Esc clears)"
            screen.put(hint, row: rect.row + 1, column: rect.column, role: .dim, clipWidth: rect.width)
            return visible
        }
        for line in rows.indices {
            let index = state.scroll + line
            let y = rect.row + 1 + line
            let row = rows[line]
            let base: CellRole =
                switch row.quality {
                case .clean: .text
                case .quarantined: .warning
                case .closed: .dim
                default: .stale
                }
            let tick = state.tickDirection[snapshots[shown.lowerBound + line].symbol] ?? 0
            var x = rect.column
            for (column, width) in chosen {
                // The value padded to the column's width (blanks of the same role), clipped at the right.
                let role = role(colourings[column], row: row, base: base, tick: tick)
                let clip = rect.right - x
                let padding = max(0, width - counts[line][column])
                if columns[column].rightAligned {
                    screen.blank(row: y, column: x, count: min(padding, clip), role: role)
                    screen.put(cells[line][column], row: y, column: x + padding, role: role, limit: clip - padding)
                } else {
                    screen.put(cells[line][column], row: y, column: x, role: role, limit: clip)
                    let count = counts[line][column]
                    screen.blank(row: y, column: x + count, count: min(padding, clip - count), role: role)
                }
                x += width + 2
            }
            if let reason = row.noDataReason, x < rect.right {
                // Beside NO DATA, in the room the columns leave: why (`--once` says it in full).
                screen.put(reason, row: y, column: x, role: .dim, clipWidth: rect.right - x)
            }
            if index == state.selection && state.focus == .board {
                screen.paint(row: y, column: rect.column, width: rect.width, role: .selection)
            }
        }
        return visible
    }

    /// The role of a cell in a column coloured `colouring` on a row whose base role is `base`.
    static func role(_ colouring: Colouring, row: QuoteRow, base: CellRole, tick: Int) -> CellRole {
        guard base == .text else { return base }
        switch colouring {
        case .change: return row.direction > 0 ? .up : row.direction < 0 ? .down : .text
        case .tick: return tick > 0 ? .up : tick < 0 ? .down : .text
        case .plain: return .text
        }
    }

    /// Each column's width: its title, its minimum or its widest value (`counts`: cells by row and column).
    static func columnWidths(_ counts: [[Int]]) -> [Int] {
        columns.enumerated().map { index, column in
            max(column.title.count, column.minWidth, counts.map { $0[index] }.max() ?? 0)
        }
    }

    /// The columns that fit, in display order: drops the least important first, columns of
    /// equal priority together.
    static func fit(widths: [Int], into width: Int) -> [(Int, Int)] {
        var included = Set(columns.indices)
        func total() -> Int { included.reduce(0) { $0 + widths[$1] + 2 } - 2 }
        for priority in Set(columns.map(\.priority)).sorted(by: >) where priority > 0 && total() > width {
            included.subtract(columns.indices.filter { columns[$0].priority == priority })
        }
        return columns.indices.filter(included.contains).map { ($0, widths[$0]) }
    }

    static func pad(_ text: String, _ width: Int, _ right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
