/// Turns a parsed TOML document into a validated `TicktopConfiguration`.
struct ConfigurationParser {
    let context: ConfigTable.Context

    static let tables = ["general", "watchlists", "store", "collect", "freshness", "sources", "validation", "fleet"]
    static let generalKeys = ["watchlist", "stale_after", "log_file"]
    static let storeKeys = [
        "kind", "path", "batch_size", "flush_interval", "synchronous", "backup_every", "backup_keep", "backup_dir", "max_size",
        "url_env", "tls", "ticks"
    ]
    static let collectKeys = ["once_deadline", "backfill_daily_days", "backfill_minute_days", "recent_bars", "listen"]
    static let fleetKeys = ["lease_ttl", "renew_every"]

    func configuration(from entries: [TOMLNode.Entry]) throws(ConfigError) -> TicktopConfiguration {
        let root = ConfigTable(context: context, path: [], entries: entries)
        try root.checkKeys(allowed: Self.tables) { key in
            guard case .table = root.value(key) else {
                let home = [
                    ("general", Self.generalKeys), ("store", Self.storeKeys), ("collect", Self.collectKeys),
                    ("freshness", Self.freshnessKeys), ("validation", Self.validationKeys), ("fleet", Self.fleetKeys)
                ]
                .first { $0.1.contains(key) }?.0
                return "unknown key '\(key)' at the top level; "
                    + (home.map { "it belongs in [\($0)]" } ?? "settings go in tables such as [general]")
            }
            return "unknown table [\(key)]\(KeySuggestion.hint(for: key, among: Self.tables) { "[\($0)]" })"
        }
        let watchlistsTable = try root.table("watchlists")
        let watchlists = try watchlistsTable.map(watchlists) ?? [.defaultWatchlist]
        let general = try self.general(try root.table("general"), watchlists: watchlists, declared: watchlistsTable)
        let sources = try root.table("sources").map(sources) ?? [.simulatedDefault]
        return TicktopConfiguration(
            general: general,
            watchlists: watchlists,
            store: try store(try root.table("store")),
            collect: try collect(try root.table("collect")),
            freshness: try freshness(try root.table("freshness"), staleAfter: general.staleAfter),
            sources: sources,
            validation: try validation(try root.table("validation")),
            fleet: try fleet(try root.table("fleet"))
        )
    }

    private func general(_ table: ConfigTable?, watchlists: [Watchlist], declared: ConfigTable?) throws(ConfigError)
        -> GeneralConfiguration
    {
        var general = GeneralConfiguration.defaults
        let names = watchlists.map(\.name)
        if let table {
            try table.checkKeys(allowed: Self.generalKeys)
            if let name = try table.string("watchlist") {
                guard names.contains(name) else {
                    throw table.error(
                        "watchlist",
                        "no watchlist named '\(name)' in [watchlists]\(KeySuggestion.hint(for: name, among: names)) (defined: \(names.joined(separator: ", ")))"
                    )
                }
                general.activeWatchlist = name
            } else if !names.contains(general.activeWatchlist), let first = names.first {
                general.activeWatchlist = first
            }
            general.staleAfter = try table.duration("stale_after") ?? general.staleAfter
            general.logFile = try table.string("log_file").flatMap { $0.isEmpty ? nil : $0 }
        } else if !names.contains(general.activeWatchlist), let first = names.first {
            general.activeWatchlist = first
        }
        if let declared, watchlists.first(where: { $0.name == general.activeWatchlist })?.symbols.isEmpty == true {
            throw declared.error(general.activeWatchlist, "the active watchlist '\(general.activeWatchlist)' names no symbol")
        }
        return general
    }

    private func watchlists(_ table: ConfigTable) throws(ConfigError) -> [Watchlist] {
        guard !table.entries.isEmpty else {
            throw context.error(
                table.path, "[watchlists] defines no watchlist; add one like default = [\"AAPL\", \"MSFT\"] or remove the table")
        }
        var result: [Watchlist] = []
        for entry in table.entries {
            let name = entry.key
            guard case .array = entry.value else {
                throw table.error(
                    name,
                    "watchlist '\(name)' must be an array of symbols like [\"AAPL\", \"BTC-USD\"], got \(entry.value.shortDescription)"
                )
            }
            var symbols: [Symbol] = []
            var spellings: [Symbol: String] = [:]
            for (index, text) in (try table.stringArray(name) ?? []).enumerated() {
                let symbol: Symbol
                do { symbol = try Symbol(text) } catch {
                    throw table.error(name, element: index, "in watchlist '\(name)': \(error.description)")
                }
                if let first = spellings[symbol] {
                    let how = first == text ? "'\(text)'" : "as '\(first)' and '\(text)'"
                    throw table.error(
                        name, element: index, "in watchlist '\(name)': \(symbol) is listed twice (\(how)); remove one")
                }
                spellings[symbol] = text
                symbols.append(symbol)
            }
            result.append(Watchlist(name: name, symbols: symbols))
        }
        return result
    }

    private func store(_ table: ConfigTable?) throws(ConfigError) -> StoreConfiguration {
        var store = StoreConfiguration.defaults
        guard let table else { return store }
        try table.checkKeys(allowed: Self.storeKeys)
        store.kind = try table.choice("kind", as: StoreKind.self) ?? store.kind
        store.path = try table.string("path").flatMap { $0.isEmpty ? nil : $0 }
        store.batchSize =
            try table.int("batch_size", in: StoreConfiguration.batchSizeRange)
            ?? StoreConfiguration.defaultBatchSize(for: store.kind)
        store.flushInterval =
            try table.duration("flush_interval") ?? StoreConfiguration.defaultFlushInterval(for: store.kind)
        store.synchronous = try table.choice("synchronous", as: SynchronousMode.self) ?? store.synchronous
        store.backupEvery = try backupEvery(table)
        store.backupKeep = try table.int("backup_keep", in: StoreConfiguration.backupKeepRange) ?? store.backupKeep
        store.backupDirectory = try table.string("backup_dir").flatMap { $0.isEmpty ? nil : $0 }
        store.maxSize = try maxSize(table)
        store.urlEnvironment = try urlEnvironment(table)
        store.tls = try table.choice("tls", as: PostgresTLSMode.self) ?? store.tls
        store.ticks = try table.bool("ticks") ?? store.ticks
        if store.kind == .postgres, store.ticks {
            throw table.error(
                "ticks",
                "ticks are not supported on PostgreSQL yet; record the tape with kind = \"sqlite\" or set ticks = false")
        }
        if store.kind == .postgres, store.urlEnvironment == nil {
            throw table.error(
                "url_env",
                "store.kind = \"postgres\" needs url_env, the name of the environment variable that holds the "
                    + "connection URL (e.g. url_env = \"TICKTOP_POSTGRES_URL\")")
        }
        return store
    }

    /// `url_env`: the name of an environment variable (letters, digits and `_`, not starting with a digit).
    /// A value that looks like the URL itself is refused without being repeated: it may hold a password.
    private func urlEnvironment(_ table: ConfigTable) throws(ConfigError) -> String? {
        guard let name = try table.string("url_env", sensitive: true), !name.isEmpty else { return nil }
        let isName =
            name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
            && !("0"..."9").contains(name.unicodeScalars.first!)
        guard isName else {
            throw table.error(
                "url_env",
                "expected the NAME of an environment variable (such as TICKTOP_POSTGRES_URL), not the URL itself; "
                    + "put the URL in that variable, never in the file (the value is not shown: it may hold a password)")
        }
        return name
    }

    /// `max_size`: `"off"` (as when absent), a size string (`"500MB"`) or a whole number of bytes,
    /// at least `StoreConfiguration.maxSizeMinimum`.
    private func maxSize(_ table: ConfigTable) throws(ConfigError) -> Int64? {
        guard let node = table.value("max_size") else { return nil }
        let minimum = ByteSizeParser.format(StoreConfiguration.maxSizeMinimum)
        let expected = "expected \"off\" or \(ByteSizeParser.expectedForm), at least \(minimum)"
        let bytes: Int64?
        switch node {
        case .string(let text) where text.trimmingBlanks().lowercased() == "off": return nil
        case .string(let text): bytes = ByteSizeParser.parse(text)
        case .int(let number): bytes = Int64(number)
        default: bytes = nil
        }
        guard let bytes, bytes >= StoreConfiguration.maxSizeMinimum else {
            throw table.error("max_size", "\(expected), got \(node.shortDescription)")
        }
        return bytes
    }

    /// `backup_every`: `"off"` (as when absent) or a duration of at least `StoreConfiguration.backupEveryMinimum`.
    private func backupEvery(_ table: ConfigTable) throws(ConfigError) -> Duration? {
        if case .string(let text)? = table.value("backup_every"), text.trimmingBlanks().lowercased() == "off" { return nil }
        guard let every = try table.duration("backup_every") else { return nil }
        guard every >= StoreConfiguration.backupEveryMinimum else {
            let minimum = DurationParser.format(StoreConfiguration.backupEveryMinimum)
            throw table.error(
                "backup_every",
                "expected \"off\" or at least \(minimum) between backups, got \(table.value("backup_every")?.shortDescription ?? "")"
            )
        }
        return every
    }

    private func fleet(_ table: ConfigTable?) throws(ConfigError) -> FleetConfiguration {
        var fleet = FleetConfiguration.defaults
        guard let table else { return fleet }
        try table.checkKeys(allowed: Self.fleetKeys)
        fleet.leaseTTL = try table.duration("lease_ttl") ?? fleet.leaseTTL
        fleet.renewEvery = try table.duration("renew_every")
        if let every = fleet.renewEvery, every >= fleet.leaseTTL {
            throw table.error(
                "renew_every",
                "must be shorter than lease_ttl (\(DurationParser.format(fleet.leaseTTL))), or leases lapse between renewals; "
                    + "got \(DurationParser.format(every))")
        }
        return fleet
    }

    private func collect(_ table: ConfigTable?) throws(ConfigError) -> CollectConfiguration {
        var collect = CollectConfiguration.defaults
        guard let table else { return collect }
        try table.checkKeys(allowed: Self.collectKeys)
        collect.onceDeadline = try table.duration("once_deadline") ?? collect.onceDeadline
        collect.backfillDailyDays =
            try table.int("backfill_daily_days", in: CollectConfiguration.backfillDailyDaysRange) ?? collect.backfillDailyDays
        collect.backfillMinuteDays =
            try table.int("backfill_minute_days", in: CollectConfiguration.backfillMinuteDaysRange) ?? collect.backfillMinuteDays
        collect.recentBars = try table.int("recent_bars", in: CollectConfiguration.recentBarsRange) ?? collect.recentBars
        if let listen = try table.string("listen") {
            do {
                collect.listen = listen == "off" ? nil : try ListenAddress(parsing: listen)
            } catch {
                throw table.error("listen", "\(error) (or \"off\" for no endpoint)")
            }
        }
        return collect
    }
}
