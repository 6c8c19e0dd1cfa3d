/// What a cell means; the terminal maps roles to colours and attributes from
/// the theme. The names are the theme files' keys (`status-bar` for `statusBar`).
public enum CellRole: UInt8, Sendable, Hashable, CaseIterable {
    case text, dim, up, down, stale, warning, error, header, border, selection, statusBar

    /// The key naming this role in a theme file.
    package var themeKey: String {
        switch self {
        case .statusBar: "status-bar"
        default: String(describing: self)
        }
    }
}

/// One character cell on screen: the character's first Unicode scalar (what a terminal cell
/// shows; a combining mark or variation selector after it is not kept) and its role. Plain
/// values (no reference inside), so a frame of cells is copied, compared and freed as memory.
package struct Cell: Sendable, Hashable {
    package var scalar: Unicode.Scalar
    package var role: CellRole
    package init(_ character: Character = " ", role: CellRole = .text) {
        self.init(scalar: character.unicodeScalars.first ?? " ", role: role)
    }
    package init(scalar: Unicode.Scalar, role: CellRole = .text) {
        self.scalar = scalar
        self.role = role
    }

    /// The cell's character (its scalar).
    package var character: Character {
        get { Character(scalar) }
        set { scalar = newValue.unicodeScalars.first ?? " " }
    }
}

/// A grid of cells: the pure output of rendering, which the terminal copies
/// out. Writes outside the grid are clipped, so a tiny terminal never crashes.
public struct ScreenBuffer: Sendable, Hashable {
    package let width: Int
    package let height: Int
    package private(set) var cells: [Cell]

    package init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    package subscript(row: Int, column: Int) -> Cell {
        get { cells[row * width + column] }
        set { cells[row * width + column] = newValue }
    }

    /// Writes `text` from (row, column), clipped at the right edge.
    package mutating func put(_ text: String, row: Int, column: Int = 0, role: CellRole = .text) {
        put(text, row: row, column: column, role: role, limit: .max)
    }

    /// Writes at most `limit` characters of `text` from (row, column), clipped at the right edge.
    /// Text of plain ASCII (the board's numbers and names) is copied byte by byte: one byte is
    /// one character there, so no grapheme breaking is needed (a CR, which joins a following LF
    /// into one character, takes the general path).
    package mutating func put(_ text: String, row: Int, column: Int, role: CellRole, limit: Int) {
        guard row >= 0, row < height, limit > 0 else { return }
        let end = column < width - limit ? column + limit : width
        guard column < end else { return }
        if Self.isPlainASCII(text) {
            var x = column
            let start = row * width
            for byte in text.utf8 {
                if x >= end { break }
                if x >= 0 { cells[start + x] = Cell(scalar: Unicode.Scalar(byte), role: role) }
                x += 1
            }
            return
        }
        var x = column
        for character in text {
            if x >= end { break }
            if x >= 0 { self[row, x] = Cell(character, role: role) }
            x += 1
        }
    }

    /// Writes `count` blanks of `role` from (row, column), clipped at the edges.
    package mutating func blank(row: Int, column: Int, count: Int, role: CellRole) {
        guard row >= 0, row < height, count > 0 else { return }
        for x in max(column, 0)..<max(min(column + count, width), max(column, 0)) {
            cells[row * width + x] = Cell(scalar: " ", role: role)
        }
    }

    /// Whether each byte of `text` is one character (ASCII without CR).
    package static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// The cells `text` takes: its characters, counted by bytes when it is plain ASCII.
    package static func cellCount(_ text: String) -> Int {
        isPlainASCII(text) ? text.utf8.count : text.count
    }

    /// Calls `body` with the row, column and cell of every cell that differs from `previous`
    /// (every cell when there is none or it has another size), row by row: what a terminal
    /// that shows `previous` needs to copy out.
    package func forEachChange(since previous: ScreenBuffer?, _ body: (_ row: Int, _ column: Int, Cell) -> Void) {
        let previous = previous.flatMap { $0.width == width && $0.height == height ? $0.cells : nil }
        for row in 0..<height {
            for column in 0..<width {
                let index = row * width + column
                let cell = cells[index]
                if let previous, previous[index] == cell { continue }
                body(row, column, cell)
            }
        }
    }

    /// Gives a whole row one role (for headers and selection bars).
    package mutating func fill(row: Int, role: CellRole) {
        guard row >= 0, row < height else { return }
        for x in 0..<width { self[row, x].role = role }
    }

    /// The rows as plain text without trailing blanks (for snapshot tests).
    package func text() -> String {
        (0..<height).map { row in
            String((0..<width).map { self[row, $0].character }).trailingBlanksRemoved()
        }.joined(separator: "\n")
    }
}
