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
        let alive = fleet.alive(at: now)
        let title = "COLLECTORS (\(alive.count) alive, \(DisplayFormat.count(fleet.wanted)) symbols wanted)"
        let body = PanelFrame.draw(title, focused: false, in: rect, on: &screen)
        guard !body.isEmpty else { return }
        let members = alive + fleet.members.filter { !$0.isAlive(at: now, ttl: fleet.leaseTTL) }
        var table = TextTable(
            columns: [
                .init("COLLECTOR"), .init("HOST"), .init("VERSION"), .init("HEARTBEAT", .right), .init("SYMBOLS", .right),
                .init("SOURCES")
            ])
        for member in members {
            let age = DisplayFormat.age(max(.zero, now - member.heartbeatAt))
            let heartbeat =
                member.stoppedAt != nil ? "stopped" : member.isAlive(at: now, ttl: fleet.leaseTTL) ? age : "dead \(age)"
            table.append(
                [
                    (member.id == fleet.own ? "*" : "") + member.id, member.host, member.version, heartbeat,
                    DisplayFormat.count(member.symbolCount), member.sources.map(\.label).joined(separator: ",")
                ])
        }
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
        if members.isEmpty { lines.append("no collector has joined the fleet") }
        if alive.isEmpty, let last = fleet.members.map(\.heartbeatAt).max() {
            lines.append("no collector alive since \(last.clockText) UTC: prices are not live")
        }
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
