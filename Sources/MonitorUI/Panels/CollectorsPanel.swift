import Collector

/// The collectors of the fleet sharing the store, one row each: id (`*` this process), host,
/// version, heartbeat age, the symbols it holds leases on, and its sources; dead (heartbeat older
/// than the lease TTL) and stopped collectors dimmed at the end. Shown on the board while the
/// snapshot carries a fleet (`MarketSnapshot.fleet`); columns that do not fit are left out whole.
enum CollectorsPanel {
    /// The columns left out, first to last, while rows are wider than the panel.
    static let dropOrder = ["SOURCES", "VERSION", "HOST"]

    static func draw(_ state: ViewState, in rect: Rect, on screen: inout ScreenBuffer) {
        guard let snapshot = state.snapshot, let fleet = snapshot.fleet else { return }
        let now = snapshot.takenAt
        let body = PanelFrame.draw(FleetText.title(fleet, at: now), focused: false, in: rect, on: &screen)
        guard !body.isEmpty else { return }
        let members = FleetText.ordered(fleet, at: now)
        var table = FleetText.table(fleet, at: now)
        var lines = table.lines()
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
        lines += FleetText.notes(fleet, at: now)
        for (offset, line) in lines.prefix(body.height).enumerated() {
            let role: CellRole =
                offset == 0
                ? .header
                : offset - 1 < members.count && !members[offset - 1].isAlive(at: now, ttl: fleet.leaseTTL)
                    ? .dim
                    : offset - 1 >= members.count ? .warning : .text
            screen.put(line, row: body.row + offset, column: body.column, role: role, clipWidth: body.width)
        }
    }
}
