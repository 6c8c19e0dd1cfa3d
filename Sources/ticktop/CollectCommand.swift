import ArgumentParser
import Collector
import Foundation
import MonitorUI
import Prometheus

/// `ticktop collect`: the collector with no screen, for servers and systemd (see `CollectMode`).
struct CollectCommand: AsyncParsableCommand, LaunchOptions {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect with no screen (servers, systemd): store values, log to stderr, serve /metrics and /healthz.",
        discussion: """
            Runs the board's collector with the same configuration file until SIGTERM, SIGINT or SIGHUP, \
            then drains: collection stops, pending writes are flushed, and it exits. A second signal during \
            the drain exits at once (pending writes are not flushed). Logs go to stderr, one line per event. \
            /metrics (Prometheus text format) and /healthz (JSON; 503 with the reason when unhealthy) are \
            served on [collect] listen (default 127.0.0.1:9464; "off" serves nothing). On a PostgreSQL \
            store it joins the collector fleet sharing it and collects the symbols it holds leases on.

            Exit status:
              0   drained after a signal, every collected row stored
              1   runtime failure: the store cannot be opened, the listen address
                  is busy, rows could not be stored (or were fenced: their leases
                  went to other collectors), a second signal cut the drain short,
                  no configured source can run, or (on PostgreSQL) the collector
                  never joined its fleet or could not leave it
              64  usage error (bad option, symbol, watchlist or fault)
              78  configuration file error (the message names file, line and key)
            """)

    @Option(help: "Symbols to collect, comma separated, e.g. AAPL,MSFT,BTC-USD (overrides the watchlist; each once).")
    var symbols: String?

    @Option(help: "The watchlist from the configuration file (or the saved watchlists) to collect.")
    var watchlist: String?

    @OptionGroup var files: FileOptions

    @Option(help: "Where to serve /metrics and /healthz: host:port, or off (default: collect.listen, 127.0.0.1:9464).")
    var listen: String?

    @Option(name: .customLong("log-file"), help: "Also append the log to this file (stderr always gets it).")
    var logFile: String?

    @Option(
        name: .customLong("sim-fault"),
        help: ArgumentHelp(
            "Inject a fault into the simulated market (repeatable), as for the monitor.", valueName: "fault"))
    var simFaults: [String] = []

    var deadline: Double? { nil }
    /// Nothing can add symbols to a headless run.
    var needsSymbols: Bool { true }
    /// On a PostgreSQL store every `collect` is a member of the fleet sharing it.
    var joinsFleet: Bool { true }

    func validate() throws {
        if let symbols {
            do { _ = try SymbolList.parse(symbols) } catch { throw ValidationError("--symbols: \(error)") }
        }
        if let listen, listen != "off" {
            do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError("--listen: \(error) (or off)") }
        }
        try files.checkDatabase(writable: true)
        for fault in simFaults {
            do { _ = try SimulatedFault(parsing: fault) } catch { throw ValidationError("--sim-fault: \(error)") }
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        EnvironmentSettings.warnAboutColours(environment)
        // Before the runtime is built: the collector's metrics record into this registry.
        let registry = PrometheusCollectorRegistry()
        CollectorMetrics.bootstrap(PrometheusMetricsFactory(registry: registry))
        let setup = try LaunchSetup(command: self, environment: environment, log: .standardError(alsoFile: logFile))
        let address: ListenAddress? =
            switch listen {
            case nil: setup.configuration.collect.listen
            case "off": nil
            case let text?: try? ListenAddress(parsing: text)  // checked in validate()
            }
        try await MonitorCommand.reach(setup.runtime.store)
        let code = await CollectMode(setup: setup, listen: address, registry: registry).run()
        if code != OnceVerdict.exitClean { throw ExitCode(code) }
    }
}
