/// The characters the board may draw, chosen once at start from the locale: the
/// renderer always draws Unicode (box lines, block sparklines, braille charts), and
/// without a UTF-8 locale, where curses would show those as blanks, `ascii` turns
/// each into a plain character that keeps its meaning (sparkline levels stay ordered,
/// chart dots stay high or low, frames stay frames).
public enum GlyphSet: Sendable, Equatable {
    case unicode
    case ascii

    /// The glyph set for a terminal whose locale is (or is not) UTF-8.
    public static func forLocale(utf8: Bool) -> GlyphSet { utf8 ? .unicode : .ascii }

    /// `buffer` with every character this set cannot show replaced by its fallback.
    package func apply(to buffer: ScreenBuffer) -> ScreenBuffer {
        guard self == .ascii else { return buffer }
        var result = buffer
        for row in 0..<buffer.height {
            for column in 0..<buffer.width where !buffer[row, column].scalar.isASCII {
                result[row, column].character = Self.asciiFallback(for: buffer[row, column].character)
            }
        }
        return result
    }

    /// Sparkline levels, lowest first, in the same order as `Sparkline.levels`.
    static let asciiLevels: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]

    /// The plain character drawn for a non-ASCII one.
    static func asciiFallback(for character: Character) -> Character {
        if let level = Sparkline.levels.firstIndex(of: character) { return asciiLevels[level] }
        guard let scalar = character.unicodeScalars.first else { return "?" }
        if (0x2800...0x28FF).contains(scalar.value) { return brailleFallback(UInt8(scalar.value - 0x2800)) }
        switch character {
        case "─", "━", "┄", "┈": return "-"
        case "│", "┃", "┆", "┊": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼", "╭", "╮", "╯", "╰": return "+"
        case "╵", "╷": return "|"
        case "▀": return "\""
        case "◆", "●", "•": return "*"
        case "○": return "o"
        case "—", "–": return "-"
        case "×": return "x"
        case "·": return "."
        case "…": return "~"
        case "↑", "▲": return "^"
        case "↓", "▼": return "v"
        case "→", "▶": return ">"
        case "←", "◀": return "<"
        default: return "?"
        }
    }

    /// A braille cell (dots as in `BrailleCanvas`: rows 0-1 top, 2-3 bottom) as `'`, `.` or `:`.
    private static func brailleFallback(_ bits: UInt8) -> Character {
        let top = bits & 0x1B != 0  // dots 1, 2, 4, 5
        let bottom = bits & 0xE4 != 0  // dots 3, 6, 7, 8
        switch (top, bottom) {
        case (true, true): return ":"
        case (true, false): return "'"
        case (false, true): return "."
        case (false, false): return " "
        }
    }
}
