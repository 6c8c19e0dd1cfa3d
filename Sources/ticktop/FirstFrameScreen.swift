import Logging
import MonitorUI

/// The board's screen, which logs once how long the first frame took from the start of the
/// command (config, database, theme and the first snapshot included) and how many symbols it
/// showed with a value: "first frame drawn after 42 ms, 50 of 50 symbols with a value".
/// `Tests/Bench/first-frame.sh` reads that line. `firstFrame` ends when it is drawn: the board starts
/// the collector then, so that the first frame does not wait behind the start-up work.
final class FirstFrameScreen<Screen: BoardScreen>: BoardScreen {
    let screen: Screen
    let logger: Logger
    let startedAt: ContinuousClock.Instant
    /// Symbols with a value and symbols watched in the first snapshot (set by the board).
    var firstSnapshot: (valued: Int, watched: Int)?
    /// Ends when the first frame has been drawn (or `firstFrameDone()` says none will be).
    let firstFrame: AsyncStream<Void>
    private let firstFrameDrawn: AsyncStream<Void>.Continuation
    private var drawn = false

    init(_ screen: Screen, logger: Logger, startedAt: ContinuousClock.Instant) {
        self.screen = screen
        self.logger = logger
        self.startedAt = startedAt
        (firstFrame, firstFrameDrawn) = AsyncStream.makeStream(of: Void.self)
    }

    /// Ends `firstFrame` whether or not a frame was drawn (the board loop has returned).
    func firstFrameDone() { firstFrameDrawn.finish() }

    var size: (rows: Int, columns: Int) { screen.size }

    func draw(_ buffer: ScreenBuffer) {
        screen.draw(buffer)
        guard !drawn else { return }
        drawn = true
        firstFrameDrawn.finish()
        let elapsed = ContinuousClock.now - startedAt
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        let shown = firstSnapshot.map { ", \($0.valued) of \($0.watched) symbols with a value" } ?? ""
        logger.info("first frame drawn after \(Int(milliseconds.rounded())) ms\(shown)")
    }

    func nextKey() -> KeyPress? { screen.nextKey() }
    func keysRead() { screen.keysRead() }
    func resized() { screen.resized() }
}
