/// A key as the UI understands it, independent of curses.
public enum KeyPress: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, tab, backTab
    case resize
}
