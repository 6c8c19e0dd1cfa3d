import Testing

@testable import Collector

extension ConfigurationTests {
    /// `store.max_size`: sizes in binary units, checked with a message naming the file and line.
    @Suite struct ByteSizeParserTests {
        static let accepted: [(String, Int64)] = [
            ("500MB", 524_288_000), ("2GB", 2_147_483_648), ("64KB", 65_536), ("64 kb", 65_536),
            ("1TiB", 1_099_511_627_776), ("3MiB", 3_145_728), ("4096B", 4096), ("65536", 65536), (" 1gb ", 1_073_741_824)
        ]

        @Test(arguments: accepted)
        func parsesAcceptedForms(text: String, expected: Int64) {
            #expect(ByteSizeParser.parse(text) == expected)
        }

        @Test(arguments: ["", "MB", "1.5GB", "-5MB", "5 M B", "5PB", "lots", "99999999999TB", "1e6"])
        func rejectsOtherForms(text: String) {
            #expect(ByteSizeParser.parse(text) == nil)
        }

        @Test func formatsInTheLargestWholeUnit() {
            #expect(ByteSizeParser.format(500 << 20) == "500MB")
            #expect(ByteSizeParser.format(65_536) == "64KB")
            #expect(ByteSizeParser.format(1536 << 10) == "1536KB")
            #expect(ByteSizeParser.format(100_000) == "100000B")
        }

        @Test func maxSizeIsReadAndPrintedBack() throws {
            let config = try ConfigLoader.parse("[store]\nmax_size = \"500MB\"\n", file: "in.toml")
            #expect(config.store.maxSize == 500 << 20)
            #expect(config.tomlText.contains("max_size = \"500MB\""))
            #expect(try ConfigLoader.parse(config.tomlText, file: "printed.toml") == config)
            #expect(try ConfigLoader.parse("[store]\nmax_size = \"off\"\n", file: "in.toml").store.maxSize == nil)
            #expect(try ConfigLoader.parse("[store]\nmax_size = 1048576\n", file: "in.toml").store.maxSize == 1 << 20)
            #expect(TicktopConfiguration.defaults.tomlText.contains("max_size = \"off\""))
        }
    }
}
