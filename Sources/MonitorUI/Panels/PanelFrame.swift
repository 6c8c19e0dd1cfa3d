/// Draws a panel's title rule (`── HEALTH ─────`) and returns the area below it.
/// A focused panel's rule uses the header role so it stands out.
enum PanelFrame {
    static func draw(_ title: String, focused: Bool, in rect: Rect, on screen: inout ScreenBuffer) -> Rect {
        guard !rect.isEmpty else { return rect }
        let label = focused ? "── \(title) ◆ " : "── \(title) "
        let rule = label + String(repeating: "─", count: max(0, rect.width - label.count))
        screen.put(rule, row: rect.row, column: rect.column, role: focused ? .header : .border, clipWidth: rect.width)
        return rect.splitTop(1).1
    }
}

extension ScreenBuffer {
    /// Writes `text` from (row, column), clipped to `clipWidth` cells.
    mutating func put(_ text: String, row: Int, column: Int, role: CellRole, clipWidth: Int) {
        put(text, row: row, column: column, role: role, limit: clipWidth)
    }

    /// Gives a span of one row a role, keeping the characters.
    mutating func paint(row: Int, column: Int, width: Int, role: CellRole) {
        guard row >= 0, row < height else { return }
        for x in max(column, 0)..<min(column + width, self.width) { self[row, x].role = role }
    }
}
