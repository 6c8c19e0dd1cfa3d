import CNCurses
import Foundation
import MonitorUI

/// The only code that calls curses: sets the terminal up, copies a
/// `ScreenBuffer` out, reads keys, and restores the terminal on `close`.
/// Not Sendable: use it from one task only.
public final class CursesScreen: BoardScreen {

    private var open = false
    private var coloursStarted = false
    private var terminalDefaultColours = false
    /// By `CellRole.rawValue` (an array: every drawn cell looks its role up).
    private var roleStyles = [RoleStyle](repeating: RoleStyle(attributes: tt_a_normal(), pair: 0), count: CellRole.allCases.count)
    /// What the terminal shows (curses' copy of it), for drawing only the cells that change;
    /// nil when unknown (before the first draw, after a resize or a new theme).
    private var shown: ScreenBuffer?
    private var terminalWakeups: TerminalWakeups?

    /// The colour depth in use since the last `apply` (`.none` before it or without colour).
    package private(set) var colorDepth: ColorDepth = .none

    /// Initialises curses and applies `theme`. Throws when there is no usable terminal.
    public init(theme: Theme = .builtInDefault, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(CursesError)
    {
        setlocale(LC_ALL, "")
        try TerminalCheck.check(environment: environment)
        guard initscr() != nil else { throw .initialisationFailed }
        open = true
        cbreak()
        noecho()
        keypad(tt_stdscr(), true)
        nodelay(tt_stdscr(), true)
        curs_set(0)
        set_escdelay(25)  // Esc alone should not wait a second for an escape sequence
        // Keys are read between frames: no poll(2) of the keyboard while a frame goes out (seven a frame).
        typeahead(-1)
        apply(theme, environment: environment)
        // Until the screen has once been left and resumed, ncurses (6.4) flushes its output at
        // every cursor move: a frame went out in about sixty write(2) calls, one per changed run
        // of cells. Leaving and resuming now, before the first frame, lets a frame go out in one.
        endwin()
        refresh()
    }

    /// Uses `theme` for the following draws: colours degraded to what the terminal shows
    /// (none with `NO_COLOR`), attributes always.
    public func apply(_ theme: Theme, environment: [String: String]) {
        guard open else { return }
        if has_colors() && !coloursStarted {
            coloursStarted = start_color() == tt_ok()
            terminalDefaultColours = coloursStarted && use_default_colors() == tt_ok()
        }
        colorDepth = ColorDepth.detect(colors: coloursStarted ? Int(tt_colors()) : 0, environment: environment)
        for role in CellRole.allCases {
            let style = theme.style(for: role)
            roleStyles[Int(role.rawValue)] = RoleStyle(
                attributes: Self.attributes(for: style), pair: colourPair(Int16(role.rawValue) + 1, for: style))
        }
        shown = nil
    }

    deinit { close() }

    /// Restores the terminal. Safe to call more than once.
    public func close() {
        terminalWakeups?.cancel()
        terminalWakeups = nil
        guard open else { return }
        open = false
        endwin()
    }

    /// `.input` when keys are waiting and `.resize` when the terminal changed size, for
    /// `BoardWakes`; ends on `close`. Call once.
    public func wakeups() -> AsyncStream<BoardWake> {
        let wakeups = TerminalWakeups()
        terminalWakeups = wakeups
        return wakeups.events
    }

    /// Every waiting key was read: `wakeups` says `.input` again for the next one.
    public func keysRead() {
        terminalWakeups?.rearm()
    }

    /// Tells curses the terminal's new size (after `.resize`); the next draw fills it.
    public func resized() {
        guard open else { return }
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard tt_window_size(&rows, &columns) == 0 else { return }
        resizeterm(rows, columns)
        shown = nil
    }

    /// Rows and columns of the terminal now.
    public var size: (rows: Int, columns: Int) {
        (Int(tt_lines()), Int(tt_cols()))
    }

    /// Copies the cells that changed since the last draw to curses, which sends the terminal
    /// only what changed; a frame with no change costs no curses call (the board redraws on
    /// every wake-up, and most cells stay as they were).
    public func draw(_ buffer: ScreenBuffer) {
        guard open else { return }
        let rows = min(buffer.height, size.rows)
        let columns = min(buffer.width, size.columns)
        var changed = false
        buffer.forEachChange(since: shown) { row, column, cell in
            guard row < rows, column < columns else { return }
            changed = true
            let scalar = wchar_t(bitPattern: cell.scalar.value)
            let style = roleStyles[Int(cell.role.rawValue)]
            // The bottom-right cell returns ERR after writing (the cursor cannot advance); that is fine.
            _ = tt_put_cell(Int32(row), Int32(column), scalar, style.attributes, style.pair)
        }
        // Cells beyond the terminal were not drawn: a later size change draws everything again.
        shown = buffer
        if changed { refresh() }
    }

    /// The next key, or nil when none is waiting (never blocks).
    public func nextKey() -> KeyPress? {
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
            case tt_key_btab(): return .backTab
            default: return nil
            }
        }
        if code == 10 || code == 13 { return .enter }
        if code == 27 { return .escape }
        if code == 9 { return .tab }
        if code == 127 || code == 8 { return .backspace }
        guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        return .character(Character(scalar))
    }

    /// The curses attributes and colour pair drawn for one role.
    private struct RoleStyle {
        var attributes: attr_t
        var pair: Int16
    }

    private static func attributes(for style: CellStyle) -> attr_t {
        var attributes = tt_a_normal()
        if style.bold { attributes |= tt_a_bold() }
        if style.dim { attributes |= tt_a_dim() }
        if style.reverse { attributes |= tt_a_reverse() }
        if style.underline { attributes |= tt_a_underline() }
        return attributes
    }

    /// Sets up colour pair `pair` for the style's colours at the current depth; returns the
    /// pair to draw with, or 0 (the terminal's colours) when there is nothing to colour.
    private func colourPair(_ pair: Int16, for style: CellStyle) -> Int16 {
        guard colorDepth != .none,
            let foreground = style.foreground.degraded(to: colorDepth),
            let background = style.background.degraded(to: colorDepth),
            foreground != .default || background != .default
        else { return 0 }
        let status = init_pair(
            pair, colourNumber(foreground, fallback: COLOR_WHITE), colourNumber(background, fallback: COLOR_BLACK))
        return status == tt_ok() ? pair : 0
    }

    /// The curses colour number: -1 keeps the terminal's own colour when it allows that.
    private func colourNumber(_ colour: ThemeColor, fallback: Int32) -> Int16 {
        if let index = colour.paletteIndex { return Int16(index) }
        return terminalDefaultColours ? -1 : Int16(fallback)
    }
}

/// Why the terminal could not be used.
public enum CursesError: Error, CustomStringConvertible {
    case notATerminal
    case noTerminalType
    /// `TERM` names a type terminfo does not know.
    case unknownTerminalType(String)
    /// `TERM` names a type that cannot move the cursor (e.g. `dumb`).
    case cannotMoveCursor(String)
    /// No terminfo database was found to look `TERM` up in.
    case noTerminfo(String)
    case initialisationFailed

    public var description: String {
        let once = "; use --once for a text or JSON report"
        return switch self {
        case .notATerminal: "the full-screen view needs a terminal" + once
        case .noTerminalType:
            "TERM is not set, so the full-screen view cannot know how to draw; set it (e.g. TERM=xterm-256color)" + once
        case .unknownTerminalType(let name):
            "TERM=\(name) is not a terminal type terminfo knows (or is too generic to draw a full screen); set TERM to your terminal's type (e.g. xterm-256color) or install its terminfo entry (ncurses-term)"
                + once
        case .cannotMoveCursor(let name):
            "TERM=\(name) cannot move the cursor, so the full-screen view cannot draw on it; set TERM to your terminal's type (e.g. xterm-256color)"
                + once
        case .noTerminfo(let name): "no terminfo database was found to look up TERM=\(name) (install ncurses-base)" + once
        case .initialisationFailed:
            "curses could not initialise the terminal (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))" + once
        }
    }
}
