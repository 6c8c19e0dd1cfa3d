/// A rectangle of cells on screen: top-left corner and size.
package struct Rect: Sendable, Hashable, CustomStringConvertible {
    package var row: Int
    package var column: Int
    package var width: Int
    package var height: Int

    package init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = max(0, width)
        self.height = max(0, height)
    }

    package var isEmpty: Bool { width == 0 || height == 0 }
    package var bottom: Int { row + height }
    package var right: Int { column + width }

    /// The rectangle shrunk by `amount` cells on every side.
    package func inset(by amount: Int) -> Rect {
        Rect(row: row + amount, column: column + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// Splits off the top `rows` rows: (top, rest).
    package func splitTop(_ rows: Int) -> (Rect, Rect) {
        let top = min(max(rows, 0), height)
        return (
            Rect(row: row, column: column, width: width, height: top),
            Rect(row: row + top, column: column, width: width, height: height - top)
        )
    }

    /// Splits off the left `columns` columns: (left, rest).
    package func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let left = min(max(columns, 0), width)
        return (
            Rect(row: row, column: column, width: left, height: height),
            Rect(row: row, column: column + left, width: width - left, height: height)
        )
    }

    package var description: String { "\(width)x\(height)@\(row),\(column)" }
}
