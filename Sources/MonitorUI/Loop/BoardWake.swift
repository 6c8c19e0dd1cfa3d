/// Why the board loop woke up. The loop sleeps until one of these arrives: it never polls.
public enum BoardWake: Hashable, Sendable {
    /// The state has a new generation: take a snapshot and redraw.
    case data
    /// The terminal has keys waiting: read them all, then `BoardScreen.keysRead()`.
    case input
    /// The terminal changed size.
    case resize
    /// A second passed: ages and clocks advance with no data.
    case tick
    /// The collector stopped (a signal): leave.
    case stop
}
