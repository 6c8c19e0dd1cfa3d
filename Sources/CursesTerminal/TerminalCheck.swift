import CNCurses
import Foundation

/// What the full-screen board needs from its terminal, checked before anything
/// else starts (the database is not opened for a terminal that cannot draw): both
/// ends a terminal, and a `TERM` that terminfo knows and that can move the cursor.
/// Curses is not started here, so a bad `TERM` gets our message, not ncurses' exit.
public enum TerminalCheck {
    public static func check(environment: [String: String]) throws(CursesError) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else { throw .notATerminal }
        guard let name = environment["TERM"], !name.isEmpty else { throw .noTerminalType }
        switch tt_terminal_type_status(name) {
        case 1: return
        case 2: throw .cannotMoveCursor(name)
        case -1: throw .noTerminfo(name)
        case -2: throw .cannotMoveCursor(name)
        default: throw name == "dumb" ? .cannotMoveCursor(name) : .unknownTerminalType(name)
        }
    }

    /// Whether the locale from the environment (`LANG`, `LC_ALL`, `LC_CTYPE`) encodes text
    /// as UTF-8; without it curses cannot show box lines, sparklines or charts, and the
    /// board draws their ASCII fallbacks (`GlyphSet.ascii`).
    public static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}
