import Testing

@testable import Collector

/// One bad file: where the error must point and what it must (and must not) say.
struct BadFile: Sendable, CustomTestStringConvertible {
    var name: String
    var toml: String
    var line: Int?
    var key: String?
    var says: [String]
    var neverSays: [String] = []
    var kind: ConfigError.Kind = .invalid

    var testDescription: String { name }
}

extension ConfigurationTests {
    @Suite struct ConfigErrorTests {
        static let file = "/home/u/.config/ticktop/config.toml"

        static let badFiles: [BadFile] = [
            BadFile(
                name: "syntax error", toml: "[general]\nwatchlist = \n", line: 2, key: nil, says: ["invalid TOML"], kind: .syntax),
            BadFile(
                name: "unclosed table header", toml: "[store\nkind = \"memory\"\n", line: 1, key: nil, says: ["invalid TOML"],
                kind: .syntax),
            BadFile(
                name: "wrong type", toml: "[store]\nkind = \"sqlite\"\nbatch_size = \"abc\"\n", line: 3, key: "store.batch_size",
                says: ["expected a whole number from 1 to 100000, got \"abc\""]),
            BadFile(
                name: "out of range", toml: "[store]\n\nbatch_size = 0\n", line: 3, key: "store.batch_size",
                says: ["from 1 to 100000, got 0"]),
            BadFile(
                name: "float for integer", toml: "[collect]\nrecent_bars = 1.5\n", line: 2, key: "collect.recent_bars",
                says: ["whole number", "got 1.5"]),
            BadFile(
                name: "listen address without a port", toml: "[collect]\nlisten = \"127.0.0.1\"\n", line: 2,
                key: "collect.listen", says: ["'127.0.0.1' is not a listen address: expected host:port", "\"off\""]),
            BadFile(
                name: "listen port out of range", toml: "[collect]\nlisten = \"[::1]:70000\"\n", line: 2,
                key: "collect.listen", says: ["the port must be a number from 0 to 65535"]),
            BadFile(
                name: "wrong enum value", toml: "[store]\nsynchronous = \"off\"\n", line: 2, key: "store.synchronous",
                says: ["\"normal\", \"full\"", "got \"off\""]),
            BadFile(
                name: "wrong bool", toml: "[sources.sim]\nenabled = \"yes\"\n", line: 2, key: "sources.sim.enabled",
                says: ["expected true or false"]),
            BadFile(
                name: "table given a value", toml: "store = 5\n", line: 1, key: "store",
                says: ["expected a table [store], got an integer"]),
            BadFile(
                name: "unknown key with suggestion", toml: "[store]\nkind = \"sqlite\"\nbatchsize = 10\n", line: 3,
                key: "store.batchsize",
                says: ["unknown key 'batchsize' in [store] (did you mean 'batch_size'?)"]),
            BadFile(
                name: "unknown key without suggestion", toml: "[collect]\ncolour = \"red\"\n", line: 2, key: "collect.colour",
                says: ["unknown key 'colour' in [collect]"], neverSays: ["did you mean"]),
            BadFile(
                name: "unknown table", toml: "[genral]\nwatchlist = \"default\"\n", line: 1, key: "genral",
                says: ["unknown table [genral] (did you mean [general]?)"]),
            BadFile(
                name: "top-level key", toml: "watchlist = \"default\"\n", line: 1, key: "watchlist",
                says: ["at the top level; it belongs in [general]"]),
            BadFile(
                name: "bad duration", toml: "[general]\nstale_after = \"5 minutes\"\n", line: 2, key: "general.stale_after",
                says: ["expected a duration like", "got \"5 minutes\""]),
            BadFile(
                name: "zero duration", toml: "[store]\nflush_interval = \"0ms\"\n", line: 2, key: "store.flush_interval",
                says: ["longer than zero"]),
            BadFile(
                name: "bad backup period", toml: "[store]\nbackup_every = \"daily\"\n", line: 2, key: "store.backup_every",
                says: ["expected a duration like", "got \"daily\""]),
            BadFile(
                name: "backup period too short", toml: "[store]\n\nbackup_every = \"30s\"\n", line: 3, key: "store.backup_every",
                says: ["expected \"off\" or at least 1m between backups, got \"30s\""]),
            BadFile(
                name: "no backup generations", toml: "[store]\nbackup_keep = 0\n", line: 2, key: "store.backup_keep",
                says: ["from 1 to 1000, got 0"]),
            BadFile(
                name: "size not a size", toml: "[store]\nmax_size = \"lots\"\n", line: 2, key: "store.max_size",
                says: ["expected \"off\" or a size like \"500MB\"", "at least 64KB, got \"lots\""]),
            BadFile(
                name: "size too small", toml: "[store]\n\nmax_size = \"4KB\"\n", line: 3, key: "store.max_size",
                says: ["at least 64KB, got \"4KB\""]),
            BadFile(
                name: "size a boolean", toml: "[store]\nmax_size = true\n", line: 2, key: "store.max_size", says: ["got true"]),
            BadFile(
                name: "backup folder not a string", toml: "[store]\nbackup_dir = 5\n", line: 2, key: "store.backup_dir",
                says: ["expected a string, got 5"]),
            BadFile(
                name: "negative seconds", toml: "[collect]\nonce_deadline = -3\n", line: 2, key: "collect.once_deadline",
                says: ["expected a duration", "got -3"]),
            BadFile(
                name: "date for duration", toml: "[general]\nstale_after = 1979-05-27\n", line: 2, key: "general.stale_after",
                says: ["got a date"]),
            BadFile(
                name: "bad symbol in multi-line list", toml: "[watchlists]\ntech = [\n  \"AAPL\",\n  \"AA PL\",\n]\n", line: 4,
                key: "watchlists.tech", says: ["in watchlist 'tech'", "'AA PL' is not a valid symbol: it contains a space"]),
            BadFile(
                name: "duplicate symbol", toml: "[watchlists]\ntech = [\"BRK.B\", \"AAPL\", \"brk-b\"]\n", line: 2,
                key: "watchlists.tech",
                says: ["BRK.B is listed twice", "'BRK.B' and 'brk-b'"]),
            BadFile(
                name: "non-string symbol", toml: "[watchlists]\ntech = [\"AAPL\", 42]\n", line: 2, key: "watchlists.tech",
                says: ["element 2 must be a string"]),
            BadFile(
                name: "watchlist not a list", toml: "[watchlists]\ntech = \"AAPL\"\n", line: 2, key: "watchlists.tech",
                says: ["must be an array of symbols"]),
            BadFile(
                name: "empty watchlists table", toml: "[watchlists]\n", line: 1, key: "watchlists", says: ["defines no watchlist"]
            ),
            BadFile(
                name: "empty active watchlist", toml: "[watchlists]\ndefault = []\n", line: 2, key: "watchlists.default",
                says: ["names no symbol"]),
            BadFile(
                name: "unknown watchlist", toml: "[general]\nwatchlist = \"tehc\"\n[watchlists]\ntech = [\"AAPL\"]\n", line: 2,
                key: "general.watchlist", says: ["no watchlist named 'tehc'", "did you mean 'tech'?", "defined: tech"]),
            BadFile(
                name: "key pasted into key_env", toml: "[sources.alpaca]\nkey_env = \"PKZ9X8Y7W6V5U4T3S2R1\"\n", line: 2,
                key: "sources.alpaca.key_env", says: ["must NAME an environment variable that holds the key, not the key itself"],
                neverSays: ["PKZ9X8Y7W6V5U4T3S2R1"]),
            BadFile(
                name: "letters-only key pasted into key_env", toml: "[sources.alpaca]\nkey_env = \"PKABCDEFGHIJKLMNOPQRSTUV\"\n",
                line: 2,
                key: "sources.alpaca.key_env", says: ["must NAME an environment variable"],
                neverSays: ["PKABCDEFGHIJKLMNOPQRSTUV"]),
            BadFile(
                name: "secret pasted into secret_env", toml: "[sources.alpaca]\nsecret_env = \"abc/DEF+ghi 123\"\n", line: 2,
                key: "sources.alpaca.secret_env", says: ["must NAME an environment variable that holds the secret"],
                neverSays: ["abc/DEF+ghi 123"]),
            BadFile(
                name: "number in key_env", toml: "[sources.finnhub]\nkey_env = 98765432\n", line: 2,
                key: "sources.finnhub.key_env", says: ["expected a string"], neverSays: ["98765432"]),
            BadFile(
                name: "api_key in source", toml: "[sources.polygon]\napi_key = \"hunter2hunter2\"\n", line: 2,
                key: "sources.polygon.api_key", says: ["secrets do not belong", "NAME the environment variable"],
                neverSays: ["hunter2hunter2"]),
            BadFile(
                name: "token in general", toml: "[general]\ntoken = \"tok_0123456789abcdef\"\n", line: 2,
                key: "general.token", says: ["secrets do not belong"], neverSays: ["tok_0123456789abcdef"]),
            BadFile(
                name: "password at top of [sources]", toml: "[sources]\npassword = \"letmein99\"\n", line: 2,
                key: "sources.password", says: ["secrets do not belong"], neverSays: ["letmein99"]),
            BadFile(
                name: "token in stream_url",
                toml: "[sources.finnhub]\nstream_url = \"wss://ws.finnhub.io?token=c0ffee123secret\"\n", line: 2,
                key: "sources.finnhub.stream_url", says: ["must not carry a key or token"], neverSays: ["c0ffee123secret"]),
            BadFile(
                name: "credential-looking value elsewhere", toml: "[sources.alpaca]\nfeed = \"PKZ9X8Y7W6V5U4T3S2R1\"\n", line: 2,
                key: "sources.alpaca.feed", says: ["not shown"], neverSays: ["PKZ9X8Y7W6V5U4T3S2R1"]),
            BadFile(
                name: "feed on simulated", toml: "[sources.sim]\nseed = 1\nfeed = \"iex\"\n", line: 3, key: "sources.sim.feed",
                says: ["'feed' applies only to kind alpaca, not to simulated"]),
            BadFile(
                name: "seed on alpaca", toml: "[sources.alpaca]\nseed = 1\n", line: 2, key: "sources.alpaca.seed",
                says: ["'seed' applies only to kind simulated, not to alpaca"]),
            BadFile(
                name: "secret_env on polygon", toml: "[sources.polygon]\nsecret_env = \"X\"\n", line: 2,
                key: "sources.polygon.secret_env",
                says: ["applies only to kind alpaca"]),
            BadFile(
                name: "key_env on yahoo", toml: "[sources.yahoo]\nkey_env = \"YAHOO_KEY\"\n", line: 2,
                key: "sources.yahoo.key_env",
                says: ["applies only to kind alpaca, alphavantage, polygon, finnhub, not to yahoo"]),
            BadFile(
                name: "path on simulated", toml: "[sources.sim]\npath = \"x\"\n", line: 2, key: "sources.sim.path",
                says: ["applies only to kind replay"]),
            BadFile(
                name: "typo in source key", toml: "[sources.sim]\nsede = 1\n", line: 2, key: "sources.sim.sede",
                says: ["did you mean 'seed'?"]),
            BadFile(
                name: "bad base_url", toml: "[sources.yahoo]\nbase_url = \"query1.finance.yahoo.com\"\n", line: 2,
                key: "sources.yahoo.base_url",
                says: ["expected an http:// or https:// URL", "got \"query1.finance.yahoo.com\""]),
            BadFile(
                name: "http stream_url", toml: "[sources.alpaca]\nstream_url = \"https://stream.data.alpaca.markets/v2/iex\"\n",
                line: 2,
                key: "sources.alpaca.stream_url", says: ["expected a ws:// or wss:// URL"]),
            BadFile(
                name: "bad feed", toml: "[sources.alpaca]\nfeed = \"otc\"\n", line: 2, key: "sources.alpaca.feed",
                says: ["\"iex\", \"sip\""]),
            BadFile(
                name: "bad source id", toml: "[sources.My-Feed]\nkind = \"yahoo\"\n", line: 1, key: "sources.My-Feed",
                says: ["lowercase letters"]),
            BadFile(
                name: "unknown kind", toml: "[sources.main]\nkind = \"alpacca\"\n", line: 2, key: "sources.main.kind",
                says: ["did you mean 'alpaca'?"]),
            BadFile(
                name: "missing kind", toml: "[sources.main]\npriority = 1\n", line: 1, key: "sources.main", says: ["missing kind"]
            ),
            BadFile(
                name: "replay without path", toml: "[sources.tape]\nkind = \"replay\"\n", line: 1, key: "sources.tape",
                says: ["needs path"]),
            BadFile(
                name: "table name starting with '!'", toml: "[general]\n[!x]\n", line: 2, key: nil,
                says: ["invalid TOML: expected a table name after '[', saw '!'"], kind: .syntax),
            BadFile(
                name: "replay speed too slow", toml: "[sources.tape]\nkind = \"replay\"\npath = \"x.csv\"\nspeed = 1e-12\n",
                line: 4,
                key: "sources.tape.speed", says: ["from 0.001 to 10000", "got 1e-12"]),
            BadFile(
                name: "source not a table", toml: "[sources]\nsim = true\n", line: 2, key: "sources.sim",
                says: ["each source is a table"]),
            BadFile(name: "empty sources", toml: "[sources]\n", line: 1, key: "sources", says: ["lists no source"]),
            BadFile(
                name: "all sources disabled", toml: "[sources.sim]\nenabled = false\n", line: 1, key: "sources",
                says: ["every source in [sources] is disabled"]),
            BadFile(
                name: "empty fault", toml: "[sources.sim]\nfaults = [\"spike:AAPL\", \" \"]\n", line: 2,
                key: "sources.sim.faults", says: ["element 2 is empty"])
        ]

        @Test(arguments: badFiles)
        func badFileIsReportedWithFileLineAndKey(_ bad: BadFile) {
            #expect {
                _ = try ConfigLoader.parse(bad.toml, file: Self.file)
            } throws: { thrown in
                guard let error = thrown as? ConfigError else { return false }
                let text = error.description
                #expect(error.kind == bad.kind, "\(text)")
                #expect(error.file == Self.file)
                #expect(error.line == bad.line, "\(text)")
                #expect(error.key == bad.key, "\(text)")
                #expect(text.hasPrefix("\(Self.file)\(bad.line.map { ":\($0)" } ?? "")"), "\(text)")
                for phrase in bad.says { #expect(text.contains(phrase), "\(text)") }
                for secret in bad.neverSays { #expect(!text.contains(secret), "leaked: \(text)") }
                return true
            }
        }

        @Test func descriptionHasTheDocumentedShape() throws {
            let error = try #require(throws: ConfigError.self) {
                try ConfigLoader.parse("[store]\nkind = \"sqlite\"\nbatch_size = \"abc\"\n", file: Self.file)
            }
            #expect(
                error.description == "\(Self.file):3: store.batch_size: expected a whole number from 1 to 100000, got \"abc\"")
        }

        @Test func syntaxErrorCarriesColumnAndTOMLKitsMessage() throws {
            let error = try #require(throws: ConfigError.self) {
                try ConfigLoader.parse("[store]\nkind = sqlite\n", file: Self.file)
            }
            #expect(error.kind == .syntax && error.line == 2)
            let column = try #require(error.column)
            #expect(error.description.hasPrefix("\(Self.file):2:\(column): invalid TOML: "))
        }

        @Test(arguments: [
            (ConfigError(file: "/c.toml", message: "m"), "/c.toml: m"),
            (ConfigError(file: "/c.toml", line: 3, message: "m"), "/c.toml:3: m"),
            (ConfigError(file: "/c.toml", line: 3, column: 9, key: "a.b", message: "m"), "/c.toml:3:9: a.b: m"),
            (ConfigError(file: "/c.toml", key: "a.b", message: "m"), "/c.toml: a.b: m")
        ])
        func descriptionLeavesOutWhatIsUnknown(error: ConfigError, expected: String) {
            #expect(error.description == expected)
        }
    }
}
