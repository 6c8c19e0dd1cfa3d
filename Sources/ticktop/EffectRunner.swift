import Collector
import CursesTerminal
import Foundation
import Logging
import MonitorUI

/// Carries out the reducer's effects: resubscribing the collector (or reading the store followed),
/// saving watchlists, loading bars for the detail view, switching themes.
struct EffectRunner {
    let feed: any BoardFeed
    let watchlistFile: String
    let logger: Logger
    let themeDirectories: [String]
    let environment: [String: String]

    func perform(_ effect: Effect, on view: inout ViewState, screen: CursesScreen) async {
        switch effect {
        case .watch(let symbols):
            await feed.setSymbols(symbols)
        case .saveWatchlists(let lists, let active):
            do {
                try WatchlistFile.save(.init(watchlists: lists, active: active), to: watchlistFile)
            } catch {
                view.message = .init(
                    "cannot save watchlists to \(watchlistFile): \(error.localizedDescription)", isError: true)
            }
        case .loadBars(let symbol, let timeframe):
            let bars = await bars(symbol, timeframe)
            _ = view.reduce(.bars(symbol, timeframe, bars))
        case .loadBudget(let source):
            _ = view.reduce(.budget(source, await feed.budget(of: source)))
        case .refresh:
            view.message = .init(await feed.refresh(), isError: false)
            _ = view.reduce(.snapshot(await feed.snapshot()))
        case .nextTheme:
            let names = ThemeLoader.availableThemes(in: themeDirectories)
            let next = names[((names.firstIndex(of: view.themeName) ?? -1) + 1) % names.count]
            do {
                let theme = try ThemeLoader.load(next, searchDirectories: themeDirectories)
                screen.apply(theme, environment: environment)
                _ = view.reduce(.theme(theme.name))
            } catch {
                view.message = .init("theme \(next): \(error)", isError: true)
            }
        case .quit:
            break
        }
    }

    /// Bars for the detail chart: minute bars from the store (enough for a wide
    /// terminal), five-minute bars aggregated from them, daily bars from the store.
    private func bars(_ symbol: Symbol, _ timeframe: Timeframe) async -> [Bar] {
        let store = feed.store
        // One source's bars: the one the board shows for this symbol.
        let source = await feed.state.snapshot().symbol(symbol)?.selected?.source
        do {
            switch timeframe {
            case .oneDay:
                return try await store.recentBars(symbol: symbol, timeframe: .oneDay, source: source, limit: 400)
            case .fiveMinutes:
                let minutes = try await store.recentBars(symbol: symbol, timeframe: .oneMinute, source: source, limit: 5 * 400)
                return BarAggregator.aggregate(minutes, into: .fiveMinutes)
            default:
                return try await store.recentBars(symbol: symbol, timeframe: .oneMinute, source: source, limit: 400)
            }
        } catch {
            logger.error("loading \(timeframe.rawValue) bars for \(symbol) failed: \(error)")
            return []
        }
    }
}
