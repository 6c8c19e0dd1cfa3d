import Testing

@testable import Collector

extension ConfigurationTests {
    /// `[store] kind = "postgres"`: the URL comes from the environment variable `url_env` names.
    @Suite struct PostgresStoreConfigTests {
        @Test func urlEnvAndTLSAreReadAndPrintedBack() throws {
            let text = "[store]\nkind = \"postgres\"\nurl_env = \"TICKTOP_PG\"\ntls = \"require\"\n"
            let config = try ConfigLoader.parse(text, file: "in.toml")
            #expect(config.store.kind == .postgres && config.store.urlEnvironment == "TICKTOP_PG" && config.store.tls == .require)
            #expect(config.tomlText.contains("url_env = \"TICKTOP_PG\"") && config.tomlText.contains("tls = \"require\""))
            #expect(try ConfigLoader.parse(config.tomlText, file: "printed.toml") == config)
            #expect(TicktopConfiguration.defaults.store.tls == .prefer)
        }

        /// Each PostgreSQL transaction also costs its round trips, so its unset `batch_size` is
        /// larger than SQLite's; a value in the file is kept whatever the kind.
        @Test func batchSizeDefaultsByKindUnlessTheFileSetsIt() throws {
            let postgres = try ConfigLoader.parse("[store]\nkind = \"postgres\"\nurl_env = \"PG\"\n", file: "in.toml")
            #expect(postgres.store.batchSize == 10_000)
            #expect(try ConfigLoader.parse(postgres.tomlText, file: "printed.toml").store.batchSize == 10_000)
            let set = try ConfigLoader.parse("[store]\nkind = \"postgres\"\nurl_env = \"PG\"\nbatch_size = 1000\n", file: "in.toml")
            #expect(set.store.batchSize == 1000)
            #expect(try ConfigLoader.parse("[store]\nkind = \"sqlite\"\n", file: "in.toml").store.batchSize == 1000)
            #expect(TicktopConfiguration.defaults.store.batchSize == 1000)
            #expect(StoreConfiguration(kind: .postgres).batchSize == 10_000)
        }

        /// Terminals following a PostgreSQL store see a change once it is committed, so it is
        /// written every 250 ms; SQLite's writes, read by no one live, once a second. A value in
        /// the file is kept whatever the kind.
        @Test func flushIntervalDefaultsByKindUnlessTheFileSetsIt() throws {
            let postgres = try ConfigLoader.parse("[store]\nkind = \"postgres\"\nurl_env = \"PG\"\n", file: "in.toml")
            #expect(postgres.store.flushInterval == .milliseconds(250))
            #expect(try ConfigLoader.parse(postgres.tomlText, file: "printed.toml").store.flushInterval == .milliseconds(250))
            let set = try ConfigLoader.parse(
                "[store]\nkind = \"postgres\"\nurl_env = \"PG\"\nflush_interval = \"2s\"\n", file: "in.toml")
            #expect(set.store.flushInterval == .seconds(2))
            #expect(try ConfigLoader.parse("[store]\nkind = \"sqlite\"\n", file: "in.toml").store.flushInterval == .seconds(1))
            #expect(try ConfigLoader.parse("[store]\nkind = \"memory\"\n", file: "in.toml").store.flushInterval == .seconds(1))
            #expect(TicktopConfiguration.defaults.store.flushInterval == .seconds(1))
            #expect(StoreConfiguration(kind: .postgres).flushInterval == .milliseconds(250))
        }

        static let refused: [(String, String)] = [
            ("[store]\nkind = \"postgres\"\n", "needs url_env"),
            ("[store]\nkind = \"postgres\"\nurl_env = \"postgres://desk:hunter22@h/db\"\n", "not the URL itself"),
            ("[store]\nurl_env = \"1ABC\"\n", "NAME of an environment variable"),
            ("[store]\nkind = \"postgres\"\nurl_env = \"PG\"\ntls = \"maybe\"\n", "store.tls")
        ]

        @Test(arguments: refused)
        func aBadSettingNamesItsKeyAndNeverRepeatsAURL(text: String, expected: String) {
            #expect {
                try ConfigLoader.parse(text, file: "in.toml")
            } throws: { error in
                let message = String(describing: error)
                return message.contains(expected) && message.contains("in.toml:") && !message.contains("hunter22")
            }
        }

        @Test func anUnsetVariableIsNamedWhenTheStoreOpens() throws {
            let config = StoreConfiguration(kind: .postgres, urlEnvironment: "TICKTOP_PG_MISSING")
            #expect {
                try CollectorRuntime.openStore(config, databasePath: nil, environment: [:])
            } throws: { error in
                String(describing: error).contains("the environment variable TICKTOP_PG_MISSING is not set")
            }
            #expect {
                try CollectorRuntime.openStore(
                    config, databasePath: nil, environment: ["TICKTOP_PG_MISSING": "postgres://desk:hunter22@h"])
            } throws: { error in
                let message = String(describing: error)
                return message.contains("the URL in TICKTOP_PG_MISSING cannot be used") && !message.contains("hunter22")
            }
        }
    }
}
