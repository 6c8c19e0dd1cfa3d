/// What the board loop needs from a terminal: curses in the app, a recorder in tests.
public protocol BoardScreen: AnyObject {
    /// Rows and columns now.
    var size: (rows: Int, columns: Int) { get }
    func draw(_ buffer: ScreenBuffer)
    /// The next key waiting, or nil when none is (never blocks).
    func nextKey() -> KeyPress?
    /// Every waiting key was read (`nextKey` returned nil): the terminal may wake the loop
    /// with `BoardWake.input` again when the next one arrives.
    func keysRead()
    /// The terminal changed size (`BoardWake.resize`): take the new size before the next draw.
    func resized()
}
