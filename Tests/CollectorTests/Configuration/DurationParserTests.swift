import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct DurationParserTests {
        @Test(arguments: [
            ("250ms", Duration.milliseconds(250)), ("5s", .seconds(5)), ("2m", .seconds(120)),
            ("1h", .seconds(3600)), ("1d", .seconds(86_400)), ("60", .seconds(60)),
            (" 10s ", .seconds(10)), ("0s", .zero), ("1500MS", .milliseconds(1500))
        ])
        func parsesAcceptedForms(text: String, expected: Duration) {
            #expect(DurationParser.parse(text) == expected)
        }

        @Test(arguments: ["", "s", "1.5s", "-5s", "5 s", "5sec", "5w", "ms", "abc", "1e3", "99999999999999999999s", "36501d"])
        func rejectsOtherForms(text: String) {
            #expect(DurationParser.parse(text) == nil)
        }

        @Test(arguments: [
            (Duration.milliseconds(250), "250ms"), (.seconds(5), "5s"), (.seconds(90), "90s"),
            (.seconds(120), "2m"), (.seconds(3600), "1h"), (.seconds(86_400), "1d"),
            (.milliseconds(1500), "1500ms"), (.zero, "0s")
        ])
        func formatsInLargestWholeUnit(duration: Duration, expected: String) {
            #expect(DurationParser.format(duration) == expected)
        }

        @Test(arguments: ["250ms", "5s", "2m", "1h", "1d", "90s", "1500ms"])
        func formatRoundTrips(text: String) throws {
            let duration = try #require(DurationParser.parse(text))
            #expect(DurationParser.format(duration) == text)
        }

        @Test func bareIntegerSeconds() {
            #expect(DurationParser.seconds(60) == .seconds(60))
            #expect(DurationParser.seconds(-1) == nil)
        }

        @Test func aTooLongDurationNamesTheBound() {
            #expect(DurationParser.parse("36500d") != nil)
            for text in ["36501d", "99999999999999999h", "9999999999999999"] {
                #expect(DurationParser.exceedsMaximum(text))
                #expect(
                    DurationParser.problem(with: text)
                        == "'\(text)' is longer than the longest duration accepted, 36500d (about 100 years)")
            }
            for text in ["soon", "5 minutes", "5w", "", "5s"] { #expect(!DurationParser.exceedsMaximum(text)) }
            #expect(DurationParser.problem(with: "soon").hasPrefix("expected a duration like"))
        }
    }
}
