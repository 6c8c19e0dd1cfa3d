import Foundation

/// Reading `[sources.<id>]` tables.
extension ConfigurationParser {
    func sources(_ table: ConfigTable) throws(ConfigError) -> [SourceConfiguration] {
        guard !table.entries.isEmpty else {
            throw context.error(
                table.path,
                "[sources] lists no source; add one like [sources.yahoo] or remove [sources] to use the simulated market")
        }
        var result: [SourceConfiguration] = []
        for entry in table.entries {
            guard case .table = entry.value else {
                if KeySuggestion.isSecretLike(entry.key) { throw table.error(entry.key, ConfigTable.secretMessage) }
                throw table.error(entry.key, "each source is a table like [sources.\(entry.key)], got \(entry.value.typeName)")
            }
            guard let source = try table.table(entry.key) else { continue }
            result.append(try self.source(source, id: entry.key))
        }
        guard result.contains(where: \.enabled) else {
            throw context.error(table.path, "every source in [sources] is disabled; enable one (enabled = true)")
        }
        return result
    }

    static let iexCloudNames: Set<String> = ["iex", "iexcloud", "iex-cloud", "iex_cloud"]
    static let iexCloudMessage =
        "IEX Cloud shut down on 31 August 2024 and no longer answers; for IEX exchange data use kind = \"alpaca\" with feed = \"iex\" (free with an Alpaca key)"

    private static let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")

    private func source(_ table: ConfigTable, id: String) throws(ConfigError) -> SourceConfiguration {
        guard !id.isEmpty, id.count <= 32, id.allSatisfy(Self.idCharacters.contains) else {
            throw context.error(table.path, "source id '\(id)' must be 1 to 32 lowercase letters, digits, '-' or '_'")
        }
        let kinds = SourceKind.allCases.map(\.rawValue)
        let kind: SourceKind
        if let text = try table.string("kind") {
            if Self.iexCloudNames.contains(text.lowercased()) { throw table.error("kind", Self.iexCloudMessage) }
            guard let named = SourceKind(rawValue: text.lowercased()) else {
                throw table.error(
                    "kind",
                    "unknown source kind \(TOMLNode.string(text).shortDescription)\(KeySuggestion.hint(for: text, among: kinds)); expected one of \(kinds.joined(separator: ", "))"
                )
            }
            kind = named
        } else if let implied = SourceKind(rawValue: id) ?? (id == SourceID.simulated.rawValue ? .simulated : nil) {
            kind = implied
        } else if Self.iexCloudNames.contains(id) {
            throw context.error(table.path, Self.iexCloudMessage)
        } else {
            throw context.error(table.path, "missing kind = \"...\" (one of \(kinds.joined(separator: ", ")))")
        }
        try table.checkKeys(allowed: kind.acceptedKeys) { key in
            let owners = SourceKind.allCases.filter { $0.acceptedKeys.contains(key) }
            guard !owners.isEmpty else { return nil }
            return "'\(key)' applies only to kind \(owners.map(\.rawValue).joined(separator: ", ")), not to \(kind.rawValue)"
        }

        var source = SourceConfiguration.defaults(id: SourceID(id), kind: kind)
        source.enabled = try table.bool("enabled") ?? source.enabled
        source.priority = try table.int("priority", in: 0...1000) ?? source.priority
        source.baseURL = try url(table, "base_url", schemes: ["http", "https"]) ?? source.baseURL
        source.pollInterval = try table.duration("poll_interval") ?? source.pollInterval
        if let text = try table.string("rate_limit") {
            guard let limit = RateLimit(parsing: text) else {
                throw table.error(
                    "rate_limit",
                    "expected requests per period like \"200/min\", \"25/day\" or \"5/s\", got \(TOMLNode.string(text).shortDescription)"
                )
            }
            source.rateLimit = limit
        }
        source.timeout = try table.duration("timeout") ?? source.timeout
        source.keyEnv = try environmentName(table, "key_env", example: kind.defaultKeyEnv) ?? source.keyEnv
        source.secretEnv = try environmentName(table, "secret_env", example: kind.defaultSecretEnv) ?? source.secretEnv
        if let feed = try table.string("feed") {
            guard SourceKind.alpacaFeeds.contains(feed.lowercased()) else {
                throw table.error(
                    "feed",
                    "expected one of \(SourceKind.alpacaFeeds.map { "\"\($0)\"" }.joined(separator: ", ")), got \(TOMLNode.string(feed).shortDescription)"
                )
            }
            source.feed = feed.lowercased()
            source.streamURL = SourceKind.alpacaStreamURL(feed: feed.lowercased())
        }
        source.streamURL = try url(table, "stream_url", schemes: ["ws", "wss"]) ?? source.streamURL
        source.cryptoStreamURL = try url(table, "crypto_stream_url", schemes: ["ws", "wss"]) ?? source.cryptoStreamURL
        source.streamEnabled = try table.bool("stream") ?? source.streamEnabled
        if let stale = try table.duration("stale_stream_after") {
            guard stale >= .seconds(1) else {
                throw table.error(
                    "stale_stream_after",
                    "expected at least 1s (how long a silent stream is trusted while the market is open), got \(stale.ageText)")
            }
            source.staleStreamAfter = stale
        }
        if kind == .replay {
            guard let path = try table.string("path"), !path.isEmpty else {
                throw context.error(
                    table.path + (table.value("path") == nil ? [] : ["path"]),
                    "a replay source needs path = \"...\" naming the file to replay")
            }
            source.replayPath = path
            if let speed = try table.double("speed") {
                guard ReplayPlayer.speeds.contains(speed) else {
                    throw table.error("speed", "expected a playback speed from 0.001 to 10000 (1 = recorded pace), got \(speed)")
                }
                source.replaySpeed = speed
            }
            source.replayLoop = try table.bool("loop") ?? source.replayLoop
        }
        if kind == .simulated {
            var simulation = SimulationSettings.defaults
            simulation.seed = try table.int("seed", in: 0...Int.max).map { UInt64($0) } ?? simulation.seed
            simulation.tickInterval = try table.duration("tick_interval") ?? simulation.tickInterval
            simulation.faults = try table.stringArray("faults") ?? simulation.faults
            if let empty = simulation.faults.firstIndex(where: { $0.trimmingBlanks().isEmpty }) {
                throw table.error("faults", element: empty, "element \(empty + 1) is empty; faults look like \"spike:AAPL\"")
            }
            source.simulation = simulation
        }
        return source
    }

    /// An environment-variable NAME; the value is never echoed, since users paste keys here.
    private func environmentName(_ table: ConfigTable, _ key: String, example: String?) throws(ConfigError) -> String? {
        guard let name = try table.string(key, sensitive: true) else { return nil }
        let valid =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        // Real variable names of this length have word separators; a long run without one is a pasted key.
        let looksLikeKey = !name.contains("_") && name.count >= 16
        guard valid, !looksLikeKey else {
            let hint = example.map { " (for example \(key) = \"\($0)\")" } ?? ""
            let what = key == "secret_env" ? "secret" : "key"
            throw table.error(key, "must NAME an environment variable that holds the \(what), not the \(what) itself\(hint)")
        }
        return name
    }

    /// A URL with one of `schemes` and a host, without credentials; trailing slashes dropped.
    private func url(_ table: ConfigTable, _ key: String, schemes: [String]) throws(ConfigError) -> String? {
        guard var text = try table.string(key) else { return nil }
        let components = URLComponents(string: text)
        let secretQuery =
            components?.queryItems?.contains { item in
                KeySuggestion.isSecretLike(item.name) || item.name.lowercased().hasSuffix("key")
                    || item.name.lowercased().hasSuffix("token")
            } ?? false
        if components?.user != nil || components?.password != nil || secretQuery {
            throw table.error(key, "must not carry a key or token; set key_env to NAME the environment variable that holds it")
        }
        guard let components, let scheme = components.scheme?.lowercased(), schemes.contains(scheme),
            let host = components.host, !host.isEmpty
        else {
            let example = schemes.last == "wss" ? "wss://stream.example.com/v2" : "https://api.example.com"
            throw table.error(
                key,
                "expected \(schemes.first == "http" ? "an" : "a") \(schemes.map { "\($0)://" }.joined(separator: " or ")) URL like \(example), got \(TOMLNode.string(text).shortDescription)"
            )
        }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
