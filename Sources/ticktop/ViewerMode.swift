import ArgumentParser
import Collector
import Foundation
import Logging
import MonitorUI

/// `ticktop --store postgres` and `ticktop --once --store postgres`: a terminal that collects
/// nothing and shows what the collectors store in the shared PostgreSQL store of the configuration
/// (`[store] kind = "postgres"`, the URL in the variable `url_env` names), following it live
/// (`StoreViewer`). The watchlist, sources and thresholds come from the same configuration as a
/// collecting terminal's.
struct ViewerMode {
    /// What `--store` accepts.
    enum StoreKind: String, ExpressibleByArgument, CaseIterable {
        case postgres
    }

    let command: MonitorCommand
    let environment: [String: String]

    func run(themes: (Theme, [String])?, startedAt: ContinuousClock.Instant) async throws {
        let loaded = try LaunchSetup.loadConfiguration(path: command.files.config, environment: environment)
        let configuration = loaded.configuration
        guard configuration.store.kind == .postgres else {
            LaunchSetup.fail(
                "--store postgres follows the PostgreSQL store of the configuration, but "
                    + "\(loaded.path ?? "the default configuration") has [store] kind = \"\(configuration.store.kind.rawValue)\": "
                    + "set kind = \"postgres\" and url_env there")
            throw ExitCode(OnceVerdict.exitConfig)
        }
        let watchlistFile = WatchlistFile.path(in: XDGPaths(environment: environment))
        let (watchlists, active, persists) = try LaunchSetup.watchlists(
            command: command, configuration: configuration, file: watchlistFile)
        let logger = LaunchSetup.makeLogger(configuration: configuration, environment: environment)
        let viewer: StoreViewer
        do {
            viewer = try StoreViewer(
                configuration: configuration, symbols: watchlists[active].symbols, clock: ContinuousClock(),
                timeSource: SystemTimeSource(), environment: environment, logger: logger)
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        logger.info(
            "ticktop follows the store",
            metadata: [
                "symbols": "\(watchlists[active].symbols.map(\.rawValue).joined(separator: ","))",
                "store": "\(viewer.storeLocation)", "config": "\(loaded.path ?? "defaults")"
            ])
        guard let themes else {
            throw ExitCode(try await once(viewer))
        }
        try await BoardMode(
            feed: viewer, services: viewer.services, watchlists: watchlists, activeWatchlist: active,
            persistsWatchlists: persists, watchlistFile: watchlistFile, logger: logger, theme: themes.0,
            themeDirectories: themes.1, environment: environment, startedAt: startedAt
        ).run()
    }

    /// Reads the store once and prints the report; exit 1 when it cannot be read, 2 when no collector
    /// of the fleet is alive (`OnceVerdict.noCollector`).
    private func once(_ viewer: StoreViewer) async throws -> Int32 {
        let snapshot: MarketSnapshot
        do {
            snapshot = try await viewer.readOnce()
        } catch {
            LaunchSetup.fail("store unreachable: \(error)")
            return OnceVerdict.exitRuntimeFailure
        }
        if let follow = snapshot.follow, let text = StoreFollowText.noCollector(follow) {
            LaunchSetup.fail(text)
        } else if let follow = snapshot.follow, follow.storeHasQuotes == false {
            LaunchSetup.fail(StoreFollowText.noData(follow))
        }
        let output: String
        if command.json {
            output = try OnceJSON.encode(OnceReport(snapshot: snapshot, history: [], store: viewer.storeLocation))
        } else {
            output = OnceTextReport(snapshot: snapshot, history: [], store: viewer.storeLocation).render()
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        return OnceVerdict(snapshot).exitCode
    }
}
