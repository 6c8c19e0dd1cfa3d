import ArgumentParser
import Collector
import CursesTerminal
import Foundation
import MonitorUI
import ServiceLifecycle
import Synchronization

/// `ticktop` with no mode flag: the live full-screen board. The collector runs
/// in a service group beside the UI loop. The loop reads keys, pulls a snapshot
/// when the state has a new generation, reduces both into the view state and
/// redraws: at once after a key, at most every `dataInterval` for new data, and
/// at least every `tickInterval` so ages advance with no data. `q`, Ctrl-C or any of `ShutdownSignals` quits,
/// shutting the collector down in order (pending writes are flushed); the terminal is restored on every path.
/// Without a UTF-8 locale the frame is drawn with `GlyphSet.ascii`.
struct BoardMode {
    let setup: LaunchSetup
    /// Loaded by `loadTheme` before the database is opened.
    let theme: Theme
    let themeDirectories: [String]
    let environment: [String: String]
    /// How often keys are polled; a key redraws at once.
    var keyInterval: Duration = .milliseconds(50)
    /// Shortest time between two redraws caused by new data: bursts are coalesced.
    var dataInterval: Duration = .milliseconds(250)
    /// Longest time between two redraws (ages must advance with no data).
    var tickInterval: Duration = .seconds(1)

    /// The `--theme` (or the default) and the directories themes are searched in; exit 78 naming the problem.
    static func loadTheme(_ name: String?, environment: [String: String]) throws -> (Theme, [String]) {
        let themes = ThemeLoader.searchDirectories(
            environment: environment, executablePath: CommandLine.arguments[0],
            currentDirectory: FileManager.default.currentDirectoryPath)
        do {
            return (try ThemeLoader.load(name ?? "default", searchDirectories: themes), themes)
        } catch {
            LaunchSetup.fail("theme error: \(error)")
            throw ExitCode(OnceVerdict.exitConfig)
        }
    }

    func run() async throws {
        let screen: CursesScreen
        do {
            screen = try CursesScreen(theme: theme, environment: environment)
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        defer { screen.close() }
        let glyphs = GlyphSet.forLocale(utf8: TerminalCheck.localeIsUTF8())
        let runtime = setup.runtime
        let group = ServiceGroup(
            configuration: .init(
                services: runtime.services, gracefulShutdownSignals: ShutdownSignals.all, logger: setup.logger))
        let stopped = StopFlag()
        var view = ViewState(watchlists: setup.watchlists, active: setup.activeWatchlist)
        view.persistsWatchlists = setup.persistsWatchlists
        view.themeName = theme.name
        let effects = EffectRunner(setup: setup, themeDirectories: themeDirectories, environment: environment)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { stopped.set() }
                try await group.run()
            }
            var lastGeneration: UInt64 = .max
            var lastDraw = ContinuousClock.now - tickInterval
            var dirty = true
            loop: while !stopped.isSet {
                while let key = screen.nextKey() {
                    if key == .resize { dirty = true; continue }
                    for effect in view.reduce(.key(key)) {
                        if case .quit = effect { break loop }
                        await effects.perform(effect, on: &view, screen: screen)
                    }
                    dirty = true
                }
                let sinceDraw = ContinuousClock.now - lastDraw
                var changed = false
                if sinceDraw >= dataInterval { changed = await runtime.state.currentGeneration != lastGeneration }
                if changed || sinceDraw >= tickInterval {
                    view.storeProblem = StoreWriteText.banner(await runtime.writer.statistics())
                    let snapshot = await runtime.state.snapshot()
                    lastGeneration = snapshot.generation
                    _ = view.reduce(.snapshot(snapshot))
                    dirty = true
                }
                if dirty {
                    let size = screen.size
                    let (buffer, rows) = ScreenRenderer().render(view, width: size.columns, height: size.rows)
                    screen.draw(glyphs.apply(to: buffer))
                    if rows != view.pageSize { _ = view.reduce(.pageSize(rows)) }
                    lastDraw = ContinuousClock.now
                    dirty = false
                }
                try? await setup.clock.sleep(for: keyInterval)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Set once when the collector's service group has returned (e.g. after Ctrl-C).
final class StopFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
