/// Printing the effective configuration as a `config.toml` the loader reads back unchanged.
extension TicktopConfiguration {
    /// Every setting, defaults included, in the file format (durations in their short form).
    package var tomlText: String {
        var lines: [String] = []
        func table(_ name: String, _ rows: [(String, String)]) {
            if !lines.isEmpty { lines.append("") }
            lines.append("[\(name)]")
            lines += rows.map { "\($0.0) = \($0.1)" }
        }
        table(
            "general",
            [
                ("watchlist", Self.quoted(general.activeWatchlist)),
                ("stale_after", Self.quoted(DurationParser.format(general.staleAfter))),
                ("log_file", Self.quoted(general.logFile ?? ""))
            ])
        table("watchlists", watchlists.map { (Self.key($0.name), Self.array($0.symbols.map(\.rawValue))) })
        table(
            "store",
            [
                ("kind", Self.quoted(store.kind.rawValue)),
                ("path", Self.quoted(store.path ?? "")),
                ("batch_size", "\(store.batchSize)"),
                ("flush_interval", Self.quoted(DurationParser.format(store.flushInterval))),
                ("synchronous", Self.quoted(store.synchronous.rawValue)),
                ("backup_every", Self.quoted(store.backupEvery.map(DurationParser.format) ?? "off")),
                ("backup_keep", "\(store.backupKeep)"),
                ("backup_dir", Self.quoted(store.backupDirectory ?? "")),
                ("max_size", Self.quoted(store.maxSize.map(ByteSizeParser.format) ?? "off")),
                ("url_env", Self.quoted(store.urlEnvironment ?? "")),
                ("tls", Self.quoted(store.tls.rawValue)),
                ("ticks", "\(store.ticks)")
            ])
        table(
            "collect",
            [
                ("once_deadline", Self.quoted(DurationParser.format(collect.onceDeadline))),
                ("backfill_daily_days", "\(collect.backfillDailyDays)"),
                ("backfill_minute_days", "\(collect.backfillMinuteDays)"),
                ("recent_bars", "\(collect.recentBars)"),
                ("listen", Self.quoted(collect.listen.map(\.description) ?? "off"))
            ])
        table(
            "freshness",
            [
                ("equity", Self.quoted(DurationParser.format(freshness.equity))),
                ("equity_extended", Self.quoted(DurationParser.format(freshness.equityExtended))),
                ("index", Self.quoted(DurationParser.format(freshness.index))),
                ("fx", Self.quoted(DurationParser.format(freshness.fx))),
                ("crypto", Self.quoted(DurationParser.format(freshness.crypto))),
                ("source", Self.quoted(DurationParser.format(freshness.source))),
                ("clear_after", Self.quoted(DurationParser.format(freshness.clearAfter)))
            ])
        table(
            "validation",
            [
                ("disabled", Self.array(validation.disabled)),
                ("spike_window", "\(validation.spikeWindow)"),
                ("spike_threshold", "\(validation.spikeThreshold)"),
                ("spike_min_mad", "\(validation.spikeMinimumMAD)"),
                ("level_shift_after", "\(validation.levelShiftAfter)"),
                ("unit_error_tolerance", "\(validation.unitErrorTolerance)"),
                ("split_tolerance", "\(validation.splitTolerance)"),
                ("split_min_score", "\(validation.splitMinimumScore)"),
                ("stale_quote_after", Self.quoted(DurationParser.format(validation.staleQuoteAfter))),
                ("quote_range_tolerance", "\(validation.quoteRangeTolerance)"),
                ("max_streams", "\(validation.maxStreams)")
            ])
        table(
            "fleet",
            [("lease_ttl", Self.quoted(DurationParser.format(fleet.leaseTTL)))]
                + (fleet.renewEvery.map { [("renew_every", Self.quoted(DurationParser.format($0)))] } ?? []))
        for source in sources {
            table("sources.\(source.id.rawValue)", Self.rows(for: source))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func rows(for source: SourceConfiguration) -> [(String, String)] {
        var rows = [
            ("kind", quoted(source.kind.rawValue)),
            ("enabled", "\(source.enabled)"),
            ("priority", "\(source.priority)")
        ]
        func add(_ key: String, _ value: String?) {
            if let value, source.kind.acceptedKeys.contains(key) { rows.append((key, quoted(value))) }
        }
        add("base_url", source.baseURL)
        add("stream_url", source.streamURL)
        add("crypto_stream_url", source.cryptoStreamURL)
        add("key_env", source.keyEnv)
        add("secret_env", source.secretEnv)
        add("poll_interval", source.pollInterval.map(DurationParser.format))
        add("feed", source.feed)
        add("path", source.replayPath)
        if let simulation = source.simulation, source.kind == .simulated {
            rows.append(("seed", "\(simulation.seed)"))
            rows.append(("tick_interval", quoted(DurationParser.format(simulation.tickInterval))))
            rows.append(("faults", array(simulation.faults)))
        }
        return rows
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A bare key when possible, else a quoted one.
    static func key(_ name: String) -> String {
        let bare = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return bare ? name : quoted(name)
    }

    static func array(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }
}
