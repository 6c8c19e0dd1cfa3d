extension ScreenBuffer {
    /// Writes one cell if it lies inside both `rect` and the buffer.
    mutating func set(_ character: Character, row: Int, column: Int, role: CellRole, clippedTo rect: Rect) {
        guard row >= rect.row, row < rect.bottom, column >= rect.column, column < rect.right,
            row >= 0, row < height, column >= 0, column < width
        else { return }
        self[row, column] = Cell(character, role: role)
    }

    /// Writes `text` from (row, column), dropping every character outside `rect` or the buffer.
    mutating func put(_ text: String, row: Int, column: Int, role: CellRole, clippedTo rect: Rect) {
        for (offset, character) in text.enumerated() {
            set(character, row: row, column: column + offset, role: role, clippedTo: rect)
        }
    }
}
