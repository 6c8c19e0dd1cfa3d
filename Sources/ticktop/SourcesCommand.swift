import ArgumentParser
import Collector
import Foundation
import MonitorUI

/// `ticktop sources [--check]`: what is configured, whether each source can
/// run (key status, never the key), its capabilities and limits, and the budget
/// left in each provider's window (read from the store, shared with every run);
/// `--check` probes what the configured use needs (quotes, and daily history when
/// backfill is on) and prints the outcome and latency.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List the configured sources: kind, key status, capabilities, rate limit; --check probes each.")

    @Option(help: "Configuration file. Default: $XDG_CONFIG_HOME/ticktop/config.toml, if it exists.")
    var config: String?

    @Flag(help: "Probe what each source is used for (quotes, and history when backfill is on); print the outcome and latency.")
    var check = false

    @Option(help: "With --check: the symbol to ask for (default: the first of the active watchlist).")
    var symbol: String?

    func validate() throws {
        if symbol != nil && !check { throw ValidationError("--symbol needs --check") }
        if let symbol {
            do { _ = try Symbol(symbol) } catch { throw ValidationError("--symbol: \(error)") }
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded = try LaunchSetup.loadConfiguration(path: config, environment: environment)
        let configuration = loaded.configuration
        let logger = LaunchSetup.makeLogger(configuration: configuration, environment: environment)
        let clock = ContinuousClock()
        let timeSource = SystemTimeSource()
        // The store holds each provider's spend: the listing reads what is left (read-only: listing
        // never creates or changes a database), a check spends from it and records what it spent.
        let ledger: (any RequestLedger)?
        do {
            ledger =
                try CollectorRuntime.openStore(
                    configuration.store, databasePath: nil, environment: environment, readOnly: !check
                ).0 as? any RequestLedger
        } catch  where error.kind == .missing {
            ledger = nil  // no database yet: nothing has been spent
        } catch {
            LaunchSetup.fail("warning: provider budgets unknown, the store did not open: \(error)")
            ledger = nil
        }
        var factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: timeSource, ledger: ledger), clock: clock,
            timeSource: timeSource, logger: logger, environment: environment)
        // A check should not sit behind a long rate-limit wait: it reports the budget as spent instead.
        factory.maximumRateLimitWait = .seconds(5)
        let probeSymbol =
            try symbol.map { try Symbol($0) }
            ?? configuration.activeWatchlist?.symbols.first ?? configuration.watchlists.first?.symbols.first
            ?? Symbol("AAPL")
        let setups = configuration.sources.map { source in
            (source, CollectorRuntime.makeSource(source, symbols: [probeSymbol], faults: [], factory: factory))
        }
        let watchlist = configuration.activeWatchlist?.symbols ?? []
        let streams = configuration.sources.flatMap { source in
            factory.streams(for: source, symbols: watchlist).map { (source, $0) }
        }
        print("configuration: \(loaded.path ?? "none (defaults: the simulated market)")")
        print(Self.listing(setups, streams: streams, environment: environment).joined(separator: "\n"))
        let budgets = await Self.budgetListing(setups)
        if !budgets.isEmpty { print("\n" + budgets.joined(separator: "\n")) }
        let refusals = await Self.refusalListing(setups, now: timeSource.now())
        if !refusals.isEmpty { print("\n" + refusals.joined(separator: "\n")) }
        if !streams.isEmpty { print("\n" + Self.streamListing(streams).joined(separator: "\n")) }
        guard check else { return }

        print("\nchecking with \(probeSymbol):")
        let probe = SourceProbe(timeSource: timeSource)
        let outcomes = await withTaskGroup(of: (Int, SourceProbe.Outcome).self) { group in
            for (index, (_, setup)) in setups.enumerated() {
                guard let source = setup.source else { continue }
                let history = configuration.collect.backfillDailyDays > 0
                group.addTask { (index, await probe.check(source, symbol: probeSymbol, history: history)) }
            }
            var results: [Int: SourceProbe.Outcome] = [:]
            for await (index, outcome) in group { results[index] = outcome }
            return results
        }
        var table = TextTable(columns: [.init("SOURCE"), .init("RESULT"), .init("LATENCY", .right), .init("DETAIL")])
        for (index, (source, setup)) in setups.enumerated() {
            if let outcome = outcomes[index] {
                table.append([
                    source.id.label, outcome.succeeded ? "ok" : outcome.state.rawValue,
                    "\(outcome.latency.nanosecondsValue / 1_000_000) ms", outcome.detail
                ])
            } else {
                table.append([source.id.label, "skipped", "", "\(setup.state.rawValue): \(setup.detail ?? "")"])
            }
        }
        print(table.lines().joined(separator: "\n"))
        let failed = outcomes.values.filter { !$0.succeeded }.count
        if outcomes.isEmpty {
            LaunchSetup.fail("no configured source can run, so none was checked")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        if failed > 0 {
            LaunchSetup.fail("\(failed) of \(outcomes.count) sources failed the check")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }

    /// One line per configured source, no network involved; `streams` are the sources' stream
    /// setups (a source offers `stream` when it has one, whether or not it runs).
    static func listing(
        _ setups: [(SourceConfiguration, ProviderFactory.Setup)], streams: [(SourceConfiguration, StreamSetup)],
        environment: [String: String]
    ) -> [String] {
        var table = TextTable(columns: [
            .init("SOURCE"), .init("KIND"), .init("PRIO", .right), .init("STATUS"), .init("KEY"), .init("OFFERS"),
            .init("RATE LIMIT"), .init("POLL", .right), .init("URL")
        ])
        let redactor = Redactor()
        for (source, setup) in setups {
            let status = setup.source == nil ? "\(setup.state.rawValue): \(setup.detail ?? "")" : "ready"
            table.append([
                source.id.label, source.kind.rawValue, "\(source.priority)", status,
                keyStatus(source, environment: environment),
                offers(setup.source?.capabilities, streams: streams.contains { $0.0.id == source.id }),
                source.rateLimit.map { "\($0) (\($0.basis.rawValue))" } ?? "-",
                source.pollInterval?.ageText ?? "-",
                redactor.redact(url: source.baseURL ?? source.replayPath ?? "-")
            ])
        }
        return table.lines()
    }

    /// One line per provider account that sends requests: its limit and what is left in the
    /// window (every process and run sharing the store counts), or the pause it is under.
    static func budgetListing(_ setups: [(SourceConfiguration, ProviderFactory.Setup)]) async -> [String] {
        var table = TextTable(columns: [.init("ACCOUNT"), .init("LIMIT"), .init("BUDGET")])
        var seen: Set<String> = []
        for (_, setup) in setups {
            guard let limiter = setup.source?.rateLimiter, seen.insert(limiter.account).inserted else { continue }
            table.append([limiter.account, "\(await limiter.limit)", await limiter.status().summary])
        }
        return seen.isEmpty ? [] : table.lines()
    }

    /// One line per request shape a provider's plan refused that is not asked again yet, with
    /// the provider's reason (`RefusalMemory`; a changed key or base URL asks again sooner).
    static func refusalListing(_ setups: [(SourceConfiguration, ProviderFactory.Setup)], now: Timestamp) async -> [String] {
        var table = TextTable(columns: [.init("ACCOUNT"), .init("REFUSED"), .init("NOT ASKED BEFORE"), .init("REASON")])
        var seen: Set<String> = []
        for (_, setup) in setups {
            guard let limiter = setup.source?.rateLimiter, let ledger = limiter.ledger,
                seen.insert(limiter.account).inserted,
                let refusals = try? await ledger.refusals(account: limiter.account)
            else { continue }
            for refusal in refusals where now < refusal.refusedAt + RequestRefusal.retryAfter {
                table.append([
                    limiter.account, refusal.shape, (refusal.refusedAt + RequestRefusal.retryAfter).iso8601, refusal.reason
                ])
            }
        }
        return table.rows.isEmpty ? [] : table.lines()
    }

    /// One line per live stream of the enabled sources: its URL (a token masked) and whether it
    /// runs with the active watchlist, or why not.
    static func streamListing(_ streams: [(SourceConfiguration, StreamSetup)]) -> [String] {
        var table = TextTable(columns: [.init("STREAM"), .init("MARKET"), .init("RUNS"), .init("URL")])
        for (source, stream) in streams {
            table.append([
                source.id.label, stream.market.rawValue, stream.offReason.map { "off: \($0)" } ?? "yes", stream.shownURL
            ])
        }
        return table.lines()
    }

    /// Whether the key variables are set; names only, never values.
    static func keyStatus(_ source: SourceConfiguration, environment: [String: String]) -> String {
        let names = [source.keyEnv, source.secretEnv].compactMap { $0 }
        guard !names.isEmpty else { return "not needed" }
        let missing = source.missingCredentialVariables(in: environment)
        if missing.isEmpty { return "\(names.joined(separator: "+")) set" }
        return "missing \(missing.joined(separator: "+"))"
    }

    /// What a source with a client offers: `capabilities`, and `stream` when it `streams`.
    static func offers(_ capabilities: SourceCapabilities?, streams: Bool) -> String {
        guard let capabilities else { return "-" }
        var parts: [String] = []
        if capabilities.contains(.latestQuotes) { parts.append("quotes") }
        if capabilities.contains(.historyBars) { parts.append("history") }
        if streams { parts.append("stream") }
        guard !parts.isEmpty else { return "-" }
        return parts.joined(separator: ",")
    }
}
