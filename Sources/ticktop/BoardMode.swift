import ArgumentParser
import Collector
import CursesTerminal
import Foundation
import Logging
import MonitorUI
import ServiceLifecycle

/// `ticktop` with no mode flag: the live full-screen board. Its first frame shows the quotes
/// the last run stored; then the collector starts, in a service group beside the UI loop
/// (`BoardLoop`), which sleeps until a key, a resize, new data (at most every `dataInterval`: bursts are coalesced) or a tick
/// (every `tickInterval`, so ages advance with no data) wakes it. `q`, Ctrl-C or any of
/// `ShutdownSignals` quits, shutting the collector down in order (pending writes are
/// flushed); the terminal is restored on every path. Without a UTF-8 locale the frame is
/// drawn with `GlyphSet.ascii`.
struct BoardMode {
    let setup: LaunchSetup
    /// Loaded by `loadTheme` before the database is opened.
    let theme: Theme
    let themeDirectories: [String]
    let environment: [String: String]
    /// When the command started: the first frame's time is logged from here (`FirstFrameScreen`).
    let startedAt: ContinuousClock.Instant
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
        let shown = FirstFrameScreen(screen, logger: setup.logger, startedAt: startedAt)
        let glyphs = GlyphSet.forLocale(utf8: TerminalCheck.localeIsUTF8())
        let runtime = setup.runtime
        let group = ServiceGroup(
            configuration: .init(
                services: runtime.services, gracefulShutdownSignals: ShutdownSignals.all, logger: setup.logger))
        var view = ViewState(watchlists: setup.watchlists, active: setup.activeWatchlist)
        view.persistsWatchlists = setup.persistsWatchlists
        view.themeName = theme.name
        // The first frame shows the values stored by the last run (before the sources start).
        do {
            let restored = try await runtime.restoreStoredQuotes()
            if restored > 0 { setup.logger.info("showing the stored quotes of \(restored) symbols until live ones arrive") }
        } catch {
            setup.logger.warning("the stored quotes could not be read, the board starts empty: \(error)")
        }
        let effects = EffectRunner(setup: setup, themeDirectories: themeDirectories, environment: environment)
        let (stops, stop) = AsyncStream.makeStream(of: BoardWake.self)
        let wakes = BoardWakes.merged(
            generations: await runtime.state.generations(), terminal: screen.wakeups(), stops: stops,
            dataInterval: dataInterval, tickInterval: tickInterval, clock: ContinuousClock())

        let firstFrame = shown.firstFrame
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { stop.yield(.stop) }
                // The first frame first (drawn from the stored quotes): the sources and the
                // start-up backfill compete with it for the state and the cores otherwise.
                for await _ in firstFrame {}
                try await group.run()
            }
            await BoardLoop(glyphs: glyphs).run(
                &view, on: shown, wakes: wakes,
                snapshot: {
                    let snapshot = await runtime.snapshot()
                    if shown.firstSnapshot == nil {
                        shown.firstSnapshot = (snapshot.symbols.count { $0.selected != nil }, snapshot.symbols.count)
                    }
                    return snapshot
                },
                perform: { effect, view in await effects.perform(effect, on: &view, screen: screen) })
            shown.firstFrameDone()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
