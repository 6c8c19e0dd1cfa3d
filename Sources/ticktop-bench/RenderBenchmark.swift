import Collector
import Foundation
import MonitorUI

/// Time to render one full frame of the live board (pure rendering into a
/// cell grid, no terminal I/O) at a given size with many symbols.
enum RenderBenchmark {
    static func run(symbols count: Int = 200, width: Int = 200, height: Int = 60, frames: Int = 500) async -> [BenchmarkResult] {
        let view = await boardView(symbols: count)
        let renderer = ScreenRenderer()
        var checksum = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<frames {
                let (screen, rows) = renderer.render(view, width: width, height: height)
                checksum &+= rows &+ screen.cells.count
            }
        }
        precondition(checksum > 0)
        let perFrame = elapsed.secondsValue / Double(frames)
        return [
            BenchmarkResult(
                name: "render-board-\(width)x\(height)", count: frames, seconds: elapsed.secondsValue,
                note: String(format: "%d symbols; %.3f ms per frame", count, perFrame * 1_000))
        ]
    }

    /// The board's view with `count` symbols of the simulated market: an hour of minute bars,
    /// five days of daily bars and a quote each, at a fixed time (the same view every run).
    static func boardView(symbols count: Int) async -> ViewState {
        let symbols = (0..<count).map { i in try! Symbol("S\(String(i, radix: 26).uppercased())") }
        let time = FixedClockTime(Timestamp(seconds: 1_772_463_600))
        let state = MarketState(
            watchlist: symbols, sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: time)
        var market = SimulatedMarket(seed: 7, symbols: symbols)
        let now = time.now()
        var history: [MarketEvent] = []
        for symbol in symbols {
            history += market.historyBars(for: symbol, timeframe: .oneMinute, in: (now - .seconds(3_600))...now).map(
                MarketEvent.bar)
            history += market.historyBars(for: symbol, timeframe: .oneDay, in: (now - .seconds(5 * 86_400))...now).map(
                MarketEvent.bar)
        }
        await state.apply(accepted: history)
        await state.apply(accepted: market.advance(to: now))
        var view = ViewState(watchlists: [Watchlist(name: "bench", symbols: symbols)])
        _ = view.reduce(.snapshot(await state.snapshot()))
        return view
    }
}
