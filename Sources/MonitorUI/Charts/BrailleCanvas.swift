/// A dot grid drawn with braille characters (U+2800 block): each cell holds
/// 2 columns by 4 rows of dots, so lines get twice the width and four times the
/// height of the cell grid. Dot (0, 0) is the top-left.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    private var bits: [UInt8]

    /// A canvas of `columns` x `rows` cells.
    init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
    }

    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// The bit of each dot in a cell, indexed [dot row][dot column].
    private static let dotBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    /// Sets one dot; dots off the canvas are ignored.
    mutating func set(x: Int, y: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        bits[(y / 4) * columns + x / 2] |= Self.dotBits[y % 4][x % 2]
    }

    /// Sets the dots of a straight line between two dots (Bresenham), both ends included.
    mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int)) {
        var x = start.x
        var y = start.y
        let dx = abs(end.x - x)
        let dy = -abs(end.y - y)
        let stepX = x < end.x ? 1 : -1
        let stepY = y < end.y ? 1 : -1
        var error = dx + dy
        while true {
            set(x: x, y: y)
            if x == end.x && y == end.y { return }
            let doubled = 2 * error
            if doubled >= dy {
                error += dy
                x += stepX
            }
            if doubled <= dx {
                error += dx
                y += stepY
            }
        }
    }

    /// The braille character of a cell, or nil when none of its dots is set.
    func character(row: Int, column: Int) -> Character? {
        let value = bits[row * columns + column]
        guard value != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(value)) else { return nil }
        return Character(scalar)
    }
}
