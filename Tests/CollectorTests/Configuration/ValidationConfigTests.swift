import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct ValidationConfigTests {
        static let file = "/home/u/.config/ticktop/config.toml"

        static let fullTable = """
            [validation]
            disabled = ["zero-volume", "bar-outside-session"]
            spike_window = 100
            spike_threshold = 6.5
            spike_min_mad = 0.002
            level_shift_after = 5
            unit_error_tolerance = 0.1
            split_tolerance = 0.03
            split_min_score = 8
            stale_quote_after = "2m"
            quote_range_tolerance = 0.5
            max_streams = 500
            """

        @Test func absentTableGivesDefaults() throws {
            #expect(try ConfigLoader.parse("", file: Self.file).validation == .defaults)
            #expect(try ConfigLoader.parse("[validation]\n", file: Self.file).validation == .defaults)
        }

        @Test func defaultsAreTheDocumentedValues() {
            #expect(
                ValidationConfiguration.defaults
                    == ValidationConfiguration(
                        disabled: [], spikeWindow: 50, spikeThreshold: 8, spikeMinimumMAD: 0.001, levelShiftAfter: 3,
                        unitErrorTolerance: 0.2, splitTolerance: 0.05, splitMinimumScore: 6, staleQuoteAfter: .seconds(300),
                        quoteRangeTolerance: 0.2, maxStreams: 10_000))
            #expect(
                Validator(configuration: .defaults).rules.map(\.name) == [
                    "bad-price", "negative-volume", "ohlc-inconsistent", "crossed-quote", "bar-conflict", "bar-overlap",
                    "time-order", "stale-quote", "zero-volume", "bar-outside-session", "unit-error", "split-like",
                    "price-spike", "quote-outside-range"
                ])
        }

        @Test func everyKeyIsRead() throws {
            let validation = try ConfigLoader.parse(Self.fullTable, file: Self.file).validation
            #expect(
                validation
                    == ValidationConfiguration(
                        disabled: ["zero-volume", "bar-outside-session"], spikeWindow: 100, spikeThreshold: 6.5,
                        spikeMinimumMAD: 0.002, levelShiftAfter: 5, unitErrorTolerance: 0.1, splitTolerance: 0.03,
                        splitMinimumScore: 8, staleQuoteAfter: .seconds(120), quoteRangeTolerance: 0.5, maxStreams: 500))
            let validator = Validator(configuration: validation)
            #expect(
                !validator.rules.map(\.name).contains("zero-volume") && validator.windowSize == 100 && validator.maxStreams == 500
            )
        }

        @Test func printedTableReadsBackUnchanged() throws {
            let config = try ConfigLoader.parse(Self.fullTable, file: Self.file)
            #expect(try ConfigLoader.parse(config.tomlText, file: "printed.toml") == config, "\(config.tomlText)")
            #expect(
                TicktopConfiguration.defaults.tomlText.contains(
                    "[validation]\ndisabled = []\nspike_window = 50\nspike_threshold = 8.0\nspike_min_mad = 0.001\n"))
        }

        static let badFiles: [BadFile] = [
            BadFile(
                name: "unknown rule with suggestion",
                toml: "[validation]\ndisabled = [\n  \"price-spike\",\n  \"zero-volum\",\n]\n",
                line: 4, key: "validation.disabled",
                says: ["unknown rule 'zero-volum' (did you mean 'zero-volume'?)", "rules that can be disabled: bar-conflict"]),
            BadFile(
                name: "unknown rule without suggestion", toml: "[validation]\ndisabled = [\"everything\"]\n", line: 2,
                key: "validation.disabled", says: ["unknown rule 'everything';"], neverSays: ["did you mean"]),
            BadFile(
                name: "version 1 rule", toml: "[validation]\ndisabled = [\"crossed-quote\"]\n", line: 2,
                key: "validation.disabled",
                says: ["'crossed-quote' is a version 1 rule and is always on"]),
            BadFile(
                name: "rule listed twice", toml: "[validation]\ndisabled = [\"split-like\", \"split-like\"]\n", line: 2,
                key: "validation.disabled", says: ["'split-like' is listed twice"]),
            BadFile(
                name: "disabled not a list", toml: "[validation]\ndisabled = \"zero-volume\"\n", line: 2,
                key: "validation.disabled",
                says: ["expected an array of strings"]),
            BadFile(
                name: "unknown key", toml: "[validation]\nspike_treshold = 5\n", line: 2, key: "validation.spike_treshold",
                says: ["unknown key 'spike_treshold' in [validation] (did you mean 'spike_threshold'?)"]),
            BadFile(
                name: "threshold out of range", toml: "[validation]\n\nspike_threshold = 0.5\n", line: 3,
                key: "validation.spike_threshold",
                says: ["expected a number from 1.0 to 1000.0, got 0.5"]),
            BadFile(
                name: "threshold not a number", toml: "[validation]\nspike_threshold = \"high\"\n", line: 2,
                key: "validation.spike_threshold",
                says: ["expected a number, got \"high\""]),
            BadFile(
                name: "window too small", toml: "[validation]\nspike_window = 2\n", line: 2, key: "validation.spike_window",
                says: ["expected a whole number from 5 to 1000, got 2"]),
            BadFile(
                name: "bad duration", toml: "[validation]\nstale_quote_after = \"soon\"\n", line: 2,
                key: "validation.stale_quote_after",
                says: ["expected a duration like"]),
            BadFile(
                name: "tolerance out of range", toml: "[validation]\nunit_error_tolerance = 2\n", line: 2,
                key: "validation.unit_error_tolerance", says: ["from 0.01 to 0.9, got 2"]),
            BadFile(
                name: "validation key at the top level", toml: "spike_window = 10\n", line: 1, key: "spike_window",
                says: ["it belongs in [validation]"]),
            BadFile(
                name: "misspelt table", toml: "[validaton]\nspike_window = 10\n", line: 1, key: "validaton",
                says: ["unknown table [validaton] (did you mean [validation]?)"])
        ]

        @Test(arguments: badFiles)
        func badValidationTableIsReportedWithFileLineAndKey(_ bad: BadFile) {
            #expect {
                _ = try ConfigLoader.parse(bad.toml, file: Self.file)
            } throws: { thrown in
                guard let error = thrown as? ConfigError else { return false }
                let text = error.description
                #expect(error.line == bad.line, "\(text)")
                #expect(error.key == bad.key, "\(text)")
                #expect(text.hasPrefix("\(Self.file):\(bad.line ?? 0): \(bad.key ?? ""): "), "\(text)")
                for phrase in bad.says { #expect(text.contains(phrase), "\(text)") }
                for phrase in bad.neverSays { #expect(!text.contains(phrase), "\(text)") }
                return true
            }
        }
    }
}
