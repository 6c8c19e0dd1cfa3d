import CNCurses
import Foundation
import MonitorUI

/// The only code that calls curses: sets the terminal up, copies a
/// `ScreenBuffer` out, reads keys, and restores the terminal on `close`.
/// Not Sendable: use it from one task only.
public final class CursesScreen {
    public enum Key: Equatable, Sendable {
        case character(Character)
        case up, down, left, right, pageUp, pageDown, home, end, enter, backspace
        case resize
    }

    private var open = false

    /// Initialises curses. Throws when there is no usable terminal.
    public init() throws(CursesError) {
        setlocale(LC_ALL, "")
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else { throw .notATerminal }
        guard initscr() != nil else { throw .initialisationFailed }
        open = true
        cbreak()
        noecho()
        keypad(tt_stdscr(), true)
        nodelay(tt_stdscr(), true)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
            for role in CellRole.allCases {
                let (foreground, background) = Self.colours(for: role)
                init_pair(Int16(role.rawValue) + 1, foreground, background)
            }
        }
    }

    deinit { close() }

    /// Restores the terminal. Safe to call more than once.
    public func close() {
        guard open else { return }
        open = false
        endwin()
    }

    /// Rows and columns of the terminal now.
    public var size: (rows: Int, columns: Int) {
        (Int(tt_lines()), Int(tt_cols()))
    }

    /// Copies the buffer to the terminal; curses sends only what changed.
    public func draw(_ buffer: ScreenBuffer) {
        guard open else { return }
        let rows = min(buffer.height, size.rows)
        let columns = min(buffer.width, size.columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = buffer[row, column]
                let scalar = cell.character.unicodeScalars.first.map { wchar_t(bitPattern: $0.value) } ?? 32
                let pair = Int16(cell.role.rawValue) + 1
                // The bottom-right cell returns ERR after writing (the cursor cannot advance); that is fine.
                _ = tt_put_cell(Int32(row), Int32(column), scalar, Self.attributes(for: cell.role), pair)
            }
        }
        refresh()
    }

    /// The next key, or nil when none is waiting (never blocks).
    public func nextKey() -> Key? {
        var character: wint_t = 0
        let status = get_wch(&character)
        if status == tt_err() { return nil }
        let code = Int32(character)
        if status == KEY_CODE_YES {
            switch code {
            case tt_key_resize(): return .resize
            case tt_key_up(): return .up
            case tt_key_down(): return .down
            case tt_key_left(): return .left
            case tt_key_right(): return .right
            case tt_key_ppage(): return .pageUp
            case tt_key_npage(): return .pageDown
            case tt_key_home(): return .home
            case tt_key_end(): return .end
            case tt_key_enter(): return .enter
            case tt_key_backspace(): return .backspace
            default: return nil
            }
        }
        if code == 10 || code == 13 { return .enter }
        if code == 127 || code == 8 { return .backspace }
        guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        return .character(Character(scalar))
    }

    private static func attributes(for role: CellRole) -> attr_t {
        switch role {
        case .header, .error: tt_a_bold()
        case .dim, .stale: tt_a_dim()
        case .selection: tt_a_reverse()
        default: tt_a_normal()
        }
    }

    /// Default colours per role (-1 keeps the terminal's own colour).
    private static func colours(for role: CellRole) -> (Int16, Int16) {
        switch role {
        case .text, .dim, .stale, .header, .border, .selection: (-1, -1)
        case .statusBar: (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        case .up: (Int16(COLOR_GREEN), -1)
        case .down: (Int16(COLOR_RED), -1)
        case .warning: (Int16(COLOR_YELLOW), -1)
        case .error: (Int16(COLOR_RED), -1)
        }
    }
}

/// Why the terminal could not be used.
public enum CursesError: Error, CustomStringConvertible {
    case notATerminal
    case initialisationFailed

    public var description: String {
        switch self {
        case .notATerminal: "the full-screen view needs a terminal; use --once for text or JSON output"
        case .initialisationFailed: "curses could not initialise the terminal (is TERM set?)"
        }
    }
}
