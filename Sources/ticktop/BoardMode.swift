import ArgumentParser
import Collector
import CursesTerminal
import Foundation
import Logging
import MonitorUI
import ServiceLifecycle
import UnixSignals

/// `ticktop` with no mode flag: the live full-screen board. Its first frame shows the quotes
/// the last run stored; then the collector starts, in a service group beside the UI loop
/// (`BoardLoop`), which sleeps until a key, a resize, new data (at most every `dataInterval`: bursts are coalesced) or a tick
/// (every `tickInterval`, so ages advance with no data) wakes it. `q`, Ctrl-C or any of
/// `ShutdownSignals` quits the same way: the terminal is restored at once, then the collector
/// shuts down in order (provider requests already sent are answered, pending writes are
/// flushed), saying on stderr when it waits for such a request (`DrainNotice`). Without a
/// UTF-8 locale the frame is drawn with `GlyphSet.ascii`.
struct BoardMode {
    /// What the board shows: the collector, or a viewer of a shared store (`ViewerMode`).
    let feed: any BoardFeed
    /// Run beside the board: the collector's, or the viewer's follower.
    let services: [ServiceGroupConfiguration.ServiceConfiguration]
    let watchlists: [Watchlist]
    let activeWatchlist: Int
    let persistsWatchlists: Bool
    let watchlistFile: String
    let logger: Logger
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
    /// Returns once the start-up backfill's history is written (a collecting board only): the
    /// memory it passed through is then given back to the system (`FreedMemory`).
    var startUpWritten: (@Sendable () async -> Void)?
    /// Where the collector's services run (`CoreThread`); nil: the shared pool.
    var core: CoreThread?

    /// The board of a terminal that collects (`setup.runtime`).
    init(
        setup: LaunchSetup, theme: Theme, themeDirectories: [String], environment: [String: String],
        startedAt: ContinuousClock.Instant
    ) {
        self.init(
            feed: setup.runtime, services: setup.runtime.services, watchlists: setup.watchlists,
            activeWatchlist: setup.activeWatchlist, persistsWatchlists: setup.persistsWatchlists,
            watchlistFile: setup.watchlistFile, logger: setup.logger, theme: theme, themeDirectories: themeDirectories,
            environment: environment, startedAt: startedAt)
        let runtime = setup.runtime
        core = setup.core
        startUpWritten = {
            await runtime.backfill.waitUntilFinished()
            await runtime.writer.flushed()
        }
    }

    init(
        feed: any BoardFeed, services: [ServiceGroupConfiguration.ServiceConfiguration], watchlists: [Watchlist],
        activeWatchlist: Int, persistsWatchlists: Bool, watchlistFile: String, logger: Logger, theme: Theme,
        themeDirectories: [String], environment: [String: String], startedAt: ContinuousClock.Instant
    ) {
        self.startedAt = startedAt
        self.feed = feed
        self.services = services
        self.watchlists = watchlists
        self.activeWatchlist = activeWatchlist
        self.persistsWatchlists = persistsWatchlists
        self.watchlistFile = watchlistFile
        self.logger = logger
        self.theme = theme
        self.themeDirectories = themeDirectories
        self.environment = environment
    }

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
        let shown = FirstFrameScreen(screen, logger: logger, startedAt: startedAt)
        let glyphs = GlyphSet.forLocale(utf8: TerminalCheck.localeIsUTF8())
        let feed = feed
        // The signals are handled here, not by the group: they end the board as `q` does, so the
        // screen closes before the drain, not after it.
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        var view = ViewState(watchlists: watchlists, active: activeWatchlist)
        view.persistsWatchlists = persistsWatchlists
        view.themeName = theme.name
        // The first frame shows the values stored by the last run (before the sources start).
        do {
            let restored = try await feed.restoreStoredQuotes()
            if restored > 0 { logger.info("showing the stored quotes of \(restored) symbols until live ones arrive") }
        } catch {
            logger.warning("the stored quotes could not be read, the board starts empty: \(error)")
        }
        let effects = EffectRunner(
            feed: feed, watchlistFile: watchlistFile, logger: logger, themeDirectories: themeDirectories,
            environment: environment)
        let (stops, stop) = AsyncStream.makeStream(of: BoardWake.self)
        let signals = await UnixSignalsSequence(trapping: ShutdownSignals.all)
        // Trapped until the end: a further signal during the drain changes nothing.
        let watcher = Task { for await _ in signals { stop.yield(.stop) } }
        defer { watcher.cancel() }
        let wakes = BoardWakes.merged(
            generations: await feed.state.generations(), terminal: screen.wakeups(), stops: stops,
            dataInterval: dataInterval, tickInterval: tickInterval, clock: ContinuousClock())

        let firstFrame = shown.firstFrame
        // Not awaited: quitting never waits for it.
        let giveBack = startUpWritten.map { written in
            Task.detached(priority: .background) { [logger] in
                await written()
                guard !Task.isCancelled, FreedMemory.giveBack() else { return }
                logger.info("the start-up backfill is written: freed memory given back to the system")
            }
        }
        defer { giveBack?.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask(executorPreference: core) { [core] in
                defer { stop.yield(.stop) }
                // The first frame first (drawn from the stored quotes): the sources and the
                // start-up backfill compete with it for the state and the cores otherwise.
                for await _ in firstFrame {}
                try await CoreThread.$preferred.withValue(core) { try await group.run() }
            }
            await BoardLoop(glyphs: glyphs).run(
                &view, on: shown, wakes: wakes,
                snapshot: {
                    let snapshot = await feed.snapshot()
                    if shown.firstSnapshot == nil {
                        shown.firstSnapshot = (snapshot.symbols.count { $0.selected != nil }, snapshot.symbols.count)
                    }
                    return snapshot
                },
                perform: { effect, view in await effects.perform(effect, on: &view, screen: screen) })
            shown.firstFrameDone()
            // The terminal is restored at once: the drain (a provider request already sent is
            // answered, for at most `ProviderRequests.drainDeadline`; pending writes are flushed)
            // goes on behind the shell's prompt, never in front of the user, who is told when it
            // waits for such a request.
            screen.close()
            if let line = DrainNotice.line(for: feed.requestsSent) { LaunchSetup.say(line) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
