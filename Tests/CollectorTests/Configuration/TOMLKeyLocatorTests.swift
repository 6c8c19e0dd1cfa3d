import Testing

@testable import Collector

extension ConfigurationTests {
    @Suite struct TOMLKeyLocatorTests {
        /// Found by fuzzing themes: a quoted key whose last character is an escaping backslash
        /// read past the end of the line.
        @Test func aQuotedKeyEndingInAnEscapeIsNotATrap() {
            let locator = TOMLKeyLocator(text: "[roles]\n\"bla\\")
            #expect(locator.line(of: ["roles"]) == 1)
            #expect(locator.exactLine(of: ["roles", "bla"]) == nil)
        }

        static let text = """
            # comment = not a key
            top = 1

            [general]
            watchlist = "default" # trailing comment
              stale_after="60s"

            [watchlists]
            default = [
              "AAPL",   # first
              "MSFT", "NVDA",
              'BRK.B',
            ]
            "with space" = ["X"]
            inline = ["A", "B"]

            [ sources . "alpaca" ]
            kind = "alpaca"
            note = \"\"\"
            fake = 1
            [fake]
            \"\"\"
            feed = "iex"

            [sources.sim]
            faults.extra = 1
            """

        let locator = TOMLKeyLocator(text: Self.text)

        @Test(arguments: [
            (["top"], 2), (["general"], 4), (["general", "watchlist"], 5), (["general", "stale_after"], 6),
            (["watchlists", "default"], 9), (["watchlists", "with space"], 14), (["sources"], 17),
            (["sources", "alpaca"], 17), (["sources", "alpaca", "kind"], 18), (["sources", "alpaca", "feed"], 23),
            (["sources", "sim", "faults"], 26), (["sources", "sim", "faults", "extra"], 26)
        ])
        func findsDefiningLine(path: [String], line: Int) {
            #expect(locator.line(of: path) == line)
        }

        @Test func ignoresCommentsAndMultilineStrings() {
            #expect(locator.exactLine(of: ["comment"]) == nil)
            #expect(locator.exactLine(of: ["sources", "alpaca", "fake"]) == nil)
            #expect(locator.exactLine(of: ["fake"]) == nil)
        }

        @Test func fallsBackToTableHeaderThenNothing() {
            #expect(locator.line(of: ["general", "log_file"]) == 4)
            #expect(locator.exactLine(of: ["general", "log_file"]) == nil)
            #expect(locator.line(of: ["collect", "recent_bars"]) == nil)
        }

        @Test(arguments: [(0, 10), (1, 11), (2, 11), (3, 12), (4, 9)])
        func locatesArrayElements(index: Int, line: Int) {
            #expect(locator.line(ofElement: index, in: ["watchlists", "default"]) == line)
        }

        @Test func locatesElementsOfSingleLineArray() {
            #expect(locator.line(ofElement: 1, in: ["watchlists", "inline"]) == 15)
        }

        @Test func handlesWindowsLineEndings() {
            let locator = TOMLKeyLocator(text: "[store]\r\n\r\nbatch_size = 5\r\n")
            #expect(locator.line(of: ["store", "batch_size"]) == 3)
        }
    }
}
