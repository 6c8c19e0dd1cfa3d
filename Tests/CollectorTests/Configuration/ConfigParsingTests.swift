import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct ConfigParsingTests {
        static let file = "/home/u/.config/ticktop/config.toml"

        @Test(arguments: ["", "# only a comment\n", "[general]\n[store]\n[collect]\n"])
        func emptyTextGivesDefaults(text: String) throws {
            #expect(try ConfigLoader.parse(text, file: Self.file) == .defaults)
        }

        @Test func defaultsAreTheDocumentedValues() {
            let defaults = TicktopConfiguration.defaults
            #expect(defaults.general == GeneralConfiguration(activeWatchlist: "default", staleAfter: .seconds(60), logFile: nil))
            #expect(defaults.watchlists.map(\.name) == ["default"])
            #expect(defaults.watchlist(named: "default")?.symbols.map(\.rawValue) == Watchlist.defaultSymbolSpellings)
            #expect(
                defaults.store
                    == StoreConfiguration(
                        kind: .sqlite, path: nil, batchSize: 1000, flushInterval: .seconds(1), synchronous: .normal))
            #expect(
                defaults.collect
                    == CollectConfiguration(
                        onceDeadline: .seconds(10), backfillDailyDays: 400, backfillMinuteDays: 7, recentBars: 600,
                        listen: ListenAddress(host: "127.0.0.1", port: 9464)))
            #expect(defaults.sources.count == 1)
            let sim = defaults.sources[0]
            #expect(sim.id == "sim" && sim.kind == .simulated && sim.enabled && sim.priority == 100)
            #expect(sim.simulation == SimulationSettings(seed: 42, tickInterval: .milliseconds(250), faults: []))
            #expect(sim.baseURL == nil && sim.keyEnv == nil && sim.pollInterval == nil)
        }

        static let fullFile = """
            [general]
            watchlist = "tech"
            stale_after = "2m"
            log_file = "~/logs/ticktop.log"

            [watchlists]
            tech = ["aapl", "MSFT", "brk-b"]
            crypto = [
              "BTC/USD",
              "ETH-USD",
            ]

            [store]
            kind = "memory"
            path = "/var/lib/ticktop.sqlite"
            batch_size = 500
            flush_interval = "1s"
            synchronous = "full"

            [collect]
            once_deadline = 30
            backfill_daily_days = 0
            backfill_minute_days = 2
            recent_bars = 120
            listen = "[::1]:9100"

            [sources.sim]
            enabled = false
            priority = 500
            seed = 7
            tick_interval = "100ms"
            faults = ["spike:AAPL", "gap:MSFT"]

            [sources.alpaca]
            kind = "alpaca"
            feed = "sip"
            key_env = "MY_ALPACA_KEY"
            secret_env = "MY_ALPACA_SECRET"
            poll_interval = "10s"

            [sources.yahoo]
            base_url = "http://127.0.0.1:8080/"

            [sources.poly]
            kind = "polygon"
            priority = 5
            stream_url = "wss://delayed.massive.com/stocks"

            [sources.tape]
            kind = "replay"
            path = "~/tapes/monday.jsonl"
            """

        @Test func fullFileIsRead() throws {
            let config = try ConfigLoader.parse(Self.fullFile, file: Self.file)
            #expect(
                config.general
                    == GeneralConfiguration(activeWatchlist: "tech", staleAfter: .seconds(120), logFile: "~/logs/ticktop.log"))
            #expect(config.watchlists.map(\.name) == ["tech", "crypto"], "file order, not TOMLKit's sorted order")
            #expect(config.watchlist(named: "tech")?.symbols.map(\.rawValue) == ["AAPL", "MSFT", "BRK.B"])
            #expect(config.watchlist(named: "crypto")?.symbols.map(\.rawValue) == ["BTC-USD", "ETH-USD"])
            #expect(config.watchlist(named: "nope") == nil)
            #expect(
                config.store
                    == StoreConfiguration(
                        kind: .memory, path: "/var/lib/ticktop.sqlite", batchSize: 500, flushInterval: .seconds(1),
                        synchronous: .full))
            #expect(
                config.collect
                    == CollectConfiguration(
                        onceDeadline: .seconds(30), backfillDailyDays: 0, backfillMinuteDays: 2, recentBars: 120,
                        listen: ListenAddress(host: "::1", port: 9100)))
            #expect(config.sources.map(\.id.rawValue) == ["poly", "alpaca", "yahoo", "tape", "sim"], "sorted by (priority, id)")

            let byID = Dictionary(uniqueKeysWithValues: config.sources.map { ($0.id.rawValue, $0) })
            #expect(byID["sim"]?.enabled == false)
            #expect(
                byID["sim"]?.simulation
                    == SimulationSettings(seed: 7, tickInterval: .milliseconds(100), faults: ["spike:AAPL", "gap:MSFT"]))
            let alpaca = try #require(byID["alpaca"])
            #expect(alpaca.kind == .alpaca && alpaca.priority == 10 && alpaca.feed == "sip")
            #expect(alpaca.baseURL == "https://data.alpaca.markets")
            #expect(alpaca.streamURL == "wss://stream.data.alpaca.markets/v2/sip", "stream URL follows the feed")
            #expect(alpaca.keyEnv == "MY_ALPACA_KEY" && alpaca.secretEnv == "MY_ALPACA_SECRET")
            #expect(alpaca.pollInterval == .seconds(10))
            let yahoo = try #require(byID["yahoo"])
            #expect(yahoo.kind == .yahoo, "kind implied by the id")
            #expect(yahoo.baseURL == "http://127.0.0.1:8080" && yahoo.streamURL == nil && yahoo.keyEnv == nil)
            let poly = try #require(byID["poly"])
            #expect(poly.kind == .polygon && poly.priority == 5 && poly.keyEnv == "POLYGON_API_KEY")
            #expect(poly.streamURL == "wss://delayed.massive.com/stocks" && poly.pollInterval == .seconds(60))
            #expect(byID["tape"]?.replayPath == "~/tapes/monday.jsonl")
        }

        @Test func sourcesDefaultToSimulatedOnlyWithoutSourcesTable() throws {
            let without = try ConfigLoader.parse("[store]\nkind = \"memory\"\n", file: Self.file)
            #expect(without.sources == [.simulatedDefault])

            let with = try ConfigLoader.parse("[sources.yahoo]\n", file: Self.file)
            #expect(with.sources.map(\.id) == ["yahoo"], "a configured [sources] never mixes in simulated prices")
            #expect(with.sources[0] == SourceConfiguration.defaults(id: "yahoo", kind: .yahoo))
        }

        @Test(arguments: SourceKind.allCases.filter { $0 != .replay })
        func eachKindGetsItsDefaults(kind: SourceKind) throws {
            let config = try ConfigLoader.parse("[sources.x]\nkind = \"\(kind.rawValue)\"\n", file: Self.file)
            let source = try #require(config.sources.first)
            #expect(source.baseURL == kind.defaultBaseURL)
            #expect(source.streamURL == kind.defaultStreamURL)
            #expect(source.keyEnv == kind.defaultKeyEnv)
            #expect(source.secretEnv == kind.defaultSecretEnv)
            #expect(source.pollInterval == kind.defaultPollInterval)
            #expect(source.priority == kind.defaultPriority)
        }

        @Test func activeWatchlistDefaultsToFirstWhenNoneIsNamedDefault() throws {
            let config = try ConfigLoader.parse("[watchlists]\nzeta = [\"AAPL\"]\nalpha = [\"MSFT\"]\n", file: Self.file)
            #expect(config.general.activeWatchlist == "zeta")
            #expect(config.activeWatchlist?.symbols.map(\.rawValue) == ["AAPL"])
        }

        @Test func bareIntegerDurationsAreSeconds() throws {
            let config = try ConfigLoader.parse("[general]\nstale_after = 90\n", file: Self.file)
            #expect(config.general.staleAfter == .seconds(90))
        }

        @Test func credentialsResolveFromTheEnvironmentByName() throws {
            let config = try ConfigLoader.parse("[sources.alpaca]\n", file: Self.file)
            let alpaca = try #require(config.sources.first)
            let environment = ["APCA_API_KEY_ID": "PKTESTKEY", "APCA_API_SECRET_KEY": ""]
            #expect(alpaca.apiKey(in: environment) == "PKTESTKEY")
            #expect(alpaca.apiSecret(in: environment) == nil, "empty counts as unset")
            #expect(alpaca.missingCredentialVariables(in: environment) == ["APCA_API_SECRET_KEY"])
            #expect(alpaca.missingCredentialVariables(in: [:]) == ["APCA_API_KEY_ID", "APCA_API_SECRET_KEY"])
            let yahoo = SourceConfiguration.defaults(id: "yahoo", kind: .yahoo)
            #expect(yahoo.apiKey(in: environment) == nil && yahoo.missingCredentialVariables(in: [:]).isEmpty)
        }
    }
}
