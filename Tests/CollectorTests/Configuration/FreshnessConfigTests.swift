import Testing

@testable import Collector

extension ConfigurationTests {
    /// The `[freshness]` table and its fallback to `general.stale_after`.
    @Suite struct FreshnessConfigTests {
        static let file = "/home/u/.config/ticktop/config.toml"

        @Test func defaults() throws {
            let config = try ConfigLoader.parse("", file: Self.file)
            #expect(config.freshness == .defaults)
            #expect(
                config.freshness
                    == FreshnessPolicy(
                        equity: .seconds(60), equityExtended: .seconds(300), index: .seconds(60), fx: .seconds(60),
                        crypto: .seconds(60), source: .seconds(60), clearAfter: .seconds(15)))
        }

        @Test func everyKeyIsRead() throws {
            let config = try ConfigLoader.parse(
                """
                [freshness]
                equity = "30s"
                equity_extended = "10m"
                index = 45
                fx = "2m"
                crypto = "10s"
                source = "90s"
                clear_after = "20s"
                """, file: Self.file)
            #expect(
                config.freshness
                    == FreshnessPolicy(
                        equity: .seconds(30), equityExtended: .seconds(600), index: .seconds(45), fx: .seconds(120),
                        crypto: .seconds(10), source: .seconds(90), clearAfter: .seconds(20)))
        }

        @Test func staleAfterIsTheFallbackForKeysLeftOut() throws {
            let config = try ConfigLoader.parse(
                """
                [general]
                stale_after = "5s"

                [freshness]
                crypto = "2s"
                """, file: Self.file)
            #expect(config.general.staleAfter == .seconds(5))
            #expect(
                config.freshness
                    == FreshnessPolicy(
                        equity: .seconds(5), equityExtended: .seconds(300), index: .seconds(5), fx: .seconds(5),
                        crypto: .seconds(2), source: .seconds(5), clearAfter: .seconds(15)))
            let long = try ConfigLoader.parse("[general]\nstale_after = \"10m\"\n", file: Self.file)
            #expect(long.freshness.equityExtended == .seconds(600), "never shorter than the regular threshold by default")
            let equity = try ConfigLoader.parse("[freshness]\nequity = \"7m\"\n", file: Self.file)
            #expect(equity.freshness.equityExtended == .seconds(420))
        }

        static let badFiles: [BadFile] = [
            BadFile(
                name: "unknown key with suggestion", toml: "[freshness]\nequity = \"1m\"\nequty_extended = \"5m\"\n", line: 3,
                key: "freshness.equty_extended",
                says: ["unknown key 'equty_extended' in [freshness] (did you mean 'equity_extended'?)"]),
            BadFile(
                name: "unknown asset class", toml: "[freshness]\n\nbonds = \"1m\"\n", line: 3, key: "freshness.bonds",
                says: ["unknown key 'bonds' in [freshness]"]),
            BadFile(
                name: "bad duration", toml: "[freshness]\nfx = \"a minute\"\n", line: 2, key: "freshness.fx",
                says: ["expected a duration like", "got \"a minute\""]),
            BadFile(
                name: "zero", toml: "[freshness]\nsource = \"0s\"\n", line: 2, key: "freshness.source", says: ["longer than zero"]
            ),
            BadFile(
                name: "boolean", toml: "[freshness]\nclear_after = true\n", line: 2, key: "freshness.clear_after",
                says: ["got true"]),
            BadFile(
                name: "table name typo", toml: "[freshnes]\nequity = \"1m\"\n", line: 1, key: "freshnes",
                says: ["unknown table [freshnes] (did you mean [freshness]?)"]),
            BadFile(
                name: "key at the top level", toml: "equity_extended = \"5m\"\n", line: 1, key: "equity_extended",
                says: ["at the top level; it belongs in [freshness]"]),
            BadFile(
                name: "not a table", toml: "freshness = \"60s\"\n", line: 1, key: "freshness",
                says: ["expected a table [freshness]"])
        ]

        @Test(arguments: badFiles)
        func badFreshnessIsReportedWithFileLineAndKey(_ bad: BadFile) throws {
            let error = try #require(throws: ConfigError.self) { try ConfigLoader.parse(bad.toml, file: Self.file) }
            let text = error.description
            #expect(error.line == bad.line, "\(text)")
            #expect(error.key == bad.key, "\(text)")
            #expect(text.hasPrefix("\(Self.file):\(bad.line ?? 0): \(bad.key ?? ""): "), "\(text)")
            for phrase in bad.says { #expect(text.contains(phrase), "\(text)") }
        }

        @Test func printedConfigurationCarriesTheTable() throws {
            let printed = TicktopConfiguration.defaults.tomlText
            #expect(
                printed.contains(
                    """
                    [freshness]
                    equity = "1m"
                    equity_extended = "5m"
                    index = "1m"
                    fx = "1m"
                    crypto = "1m"
                    source = "1m"
                    clear_after = "15s"
                    """))
            let custom = try ConfigLoader.parse("[general]\nstale_after = \"5s\"\n[freshness]\nfx = \"3m\"\n", file: Self.file)
            #expect(try ConfigLoader.parse(custom.tomlText, file: "printed.toml") == custom)
        }
    }
}
