import Collector

/// The live board's loop: sleeps until a `BoardWake` arrives, then reads the keys, takes a
/// snapshot (with the store's statistics in it) or takes the new terminal size, reduces that
/// into the view state, carries out the effects and redraws. It never polls: with no data and
/// no keys it wakes once per tick, and a tick after new data was drawn is skipped (the ages
/// on screen are less than a tick old). Returns on `q` (`Effect.quit`), on `BoardWake.stop` or when
/// the wake-ups end.
public struct BoardLoop {
    package var glyphs: GlyphSet

    public init(glyphs: GlyphSet = .unicode) {
        self.glyphs = glyphs
    }

    /// - Parameters:
    ///   - snapshot: the snapshot to show now (`CollectorRuntime.snapshot()`).
    ///   - perform: carries out an effect other than `quit` (`EffectRunner` in the app).
    public func run<Wakes: AsyncSequence>(
        _ view: inout ViewState, on screen: some BoardScreen, wakes: Wakes,
        snapshot: () async -> MarketSnapshot, perform: (Effect, inout ViewState) async -> Void
    ) async where Wakes.Element == BoardWake {
        if await apply(view.reduce(.snapshot(await snapshot())), to: &view, perform: perform) { return }
        draw(&view, on: screen)
        var dataSinceTick = false
        do {
            for try await wake in wakes {
                switch wake {
                case .stop:
                    return
                case .tick where dataSinceTick:
                    dataSinceTick = false
                    continue
                case .data, .tick:
                    dataSinceTick = wake == .data
                    if await apply(view.reduce(.snapshot(await snapshot())), to: &view, perform: perform) { return }
                case .resize:
                    screen.resized()
                case .input:
                    while let key = screen.nextKey() {
                        guard key != .resize else { continue }  // the size is taken on `.resize`
                        if await apply(view.reduce(.key(key)), to: &view, perform: perform) { return }
                    }
                    screen.keysRead()
                }
                draw(&view, on: screen)
            }
        } catch {
            // The wake-ups failed (none of the app's can): nothing wakes the board any more.
        }
    }

    /// Carries out `effects` in order; true when one of them is `quit`.
    private func apply(_ effects: [Effect], to view: inout ViewState, perform: (Effect, inout ViewState) async -> Void) async
        -> Bool
    {
        for effect in effects {
            if case .quit = effect { return true }
            await perform(effect, &view)
        }
        return false
    }

    /// Renders the view at the screen's size and tells the view how many board rows fit.
    private func draw(_ view: inout ViewState, on screen: some BoardScreen) {
        let size = screen.size
        let (buffer, rows) = ScreenRenderer().render(view, width: size.columns, height: size.rows)
        screen.draw(glyphs.apply(to: buffer))
        if rows != view.pageSize { _ = view.reduce(.pageSize(rows)) }
    }
}
