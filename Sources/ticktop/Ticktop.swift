import ArgumentParser

@main
struct Ticktop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticktop",
        abstract: "A terminal market-data monitor: live quotes, source health, freshness and data-quality alerts.",
        discussion: """
            With no keys and no network, ticktop shows the embedded simulated market
            (labelled SIM). `ticktop` alone runs the monitor; `ticktop monitor --help`
            lists its options (--once, --json, --symbols, ...). `ticktop collect`
            collects with no screen (servers, systemd) and serves /metrics and /healthz.

            Exit status:
              0   every symbol fresh (or its market closed), nothing quarantined
                  (--once); every source answered (sources --check); drained with
                  every row stored (collect)
              1   runtime failure (e.g. the database cannot be opened); collected
                  rows could not be stored; a source failed its check; a backfill
                  left gaps; listen address busy, drain cut short by a second
                  signal, never joined or could not leave the fleet (collect)
              2   some symbols have no value, or only a stale one while their
                  market is open; following a shared store, no collector of its
                  fleet is alive (--once)
              3   values were quarantined during the run (--once)
              4   the sources quoting some symbols disagree (--once)
              5   quotes fresh and clean, but history incomplete: the run ended
                  before the start-up backfill fetched every window, or stored
                  bars miss what the calendar expects (--once); stored series
                  have gaps (db check)
              64  usage error (bad option, symbol, watchlist or fault)
              78  configuration file error (the message names file, line and key)
            """,
        version: "0.1.0",
        subcommands: [
            MonitorCommand.self, CollectCommand.self, SourcesCommand.self, BackfillCommand.self, HistoryCommand.self, DatabaseCommand.self
        ],
        defaultSubcommand: MonitorCommand.self)
}
