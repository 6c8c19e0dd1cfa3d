import CollectorTestSupport
import Foundation
import Logging
import Testing

@testable import Collector

@Suite("Replay problems")
struct ReplayProblemTests {
    typealias F = ReplayFixtures

    @Test func badRowsAreSkippedAndDescribedWithFileAndLine() throws {
        let directory = try TemporaryDirectory()
        let path = try F.write(
            """
            symbol,timeframe,start,open,high,low,close,volume,vwap,trade_count
            AAPL,1Min,2024-03-01T14:30:00Z,1,2,0.5,1.5,10,,
            AAPL,1Min,2024-03-01T14:31:00Z,1,2,0.5,abc,10,,
            AAPL,2Min,2024-03-01T14:32:00Z,1,2,0.5,1.5,10,,
            A B,1Min,2024-03-01T14:33:00Z,1,2,0.5,1.5,10,,

            AAPL,1Min,2024-03-01 14:34:00,1,2,0.5,1.5,10,,
            AAPL,1Min,2024-03-01T14:35:00Z,1,2
            AAPL,1Min,2024-03-01T14:36:00Z,1,2,0.5,1.5,10,1,-3
            AAPL,1Min,2024-03-01T14:37:00Z,1,2,0.5,inf,10,,
            "AAPL,1Min,2024-03-01T14:38:00Z,1,2,0.5,1.5,10,,
            """, "AAPL.csv", in: directory)
        let source = try F.source(path)
        #expect(source.recordedValues.count == 1)
        let expected = [
            #"AAPL.csv line 3: close "abc" is not a number"#,
            #"AAPL.csv line 4: timeframe "2Min" is not one of 1Min, 5Min, 15Min, 30Min, 1Hour, 4Hour, 1Day, 1Week, 1Month"#,
            #"AAPL.csv line 5: symbol "A B" is not valid: it contains a space"#,
            #"AAPL.csv line 7: start "2024-03-01 14:34:00" is not a time (\#(ReplayTime.expected))"#,
            "AAPL.csv line 8: low is missing (the row has 5 fields)",
            #"AAPL.csv line 9: trade_count "-3" is not a whole number"#,
            #"AAPL.csv line 10: close "inf" is not a number"#,
            "AAPL.csv line 11: a quoted field is not closed"
        ]
        #expect(source.problems.map(\.description) == expected)
        #expect(source.problemCount == 8)
        #expect(
            source.problemSummary == "8 problems in the replay files: \(expected[0]); \(expected[1]); \(expected[2]); and 5 more")
    }

    @Test func missingFileThrowsNamingThePath() throws {
        let path = "/nonexistent/ticktop/replay/AAPL.csv"
        #expect(throws: ReplayError.missing(path: path)) { try F.source(path) }
        #expect(throws: ReplayError.noPath) {
            try ReplaySource(
                configuration: SourceConfiguration(id: "rp", kind: .replay), clock: ManualClock(),
                timeSource: ManualClock())
        }
        #expect("\(ReplayError.missing(path: path))" == "replay file \(path) does not exist")
    }

    @Test func emptyAndHeaderOnlyFilesThrow() throws {
        let directory = try TemporaryDirectory()
        let empty = try F.write("", "AAPL.csv", in: directory)
        #expect(throws: ReplayError.empty(path: empty)) { try F.source(empty) }
        let blank = try F.write("\n  \r\n", "blank.jsonl", in: directory)
        #expect(throws: ReplayError.empty(path: blank)) { try F.source(blank) }
        let header = try F.write("Date,Open,High,Low,Close,Adj Close,Volume\n", "MSFT.csv", in: directory)
        #expect { try F.source(header) } throws: { error in
            "\(error)" == "replay file \(header) has no usable rows: it holds only a header line"
        }
        let nulls = try F.write(
            "Date,Open,High,Low,Close,Adj Close,Volume\n2024-03-01,null,null,null,null,null,null\n",
            "IBM.csv", in: directory)
        #expect { try F.source(nulls) } throws: { error in
            "\(error)" == "replay file \(nulls) has no usable rows: IBM.csv line 2: open is null"
        }
    }

    @Test func unknownLayoutAndNamelessFilesThrow() throws {
        let directory = try TemporaryDirectory()
        let unknown = try F.write("a,b,c\n1,2,3\n", "AAPL.csv", in: directory)
        #expect { try F.source(unknown) } throws: { error in
            guard case .unsupported(let path, let reason) = error as? ReplayError else { return false }
            return path == unknown && reason.hasPrefix(#"the header "a,b,c" is not a layout ticktop replays"#)
        }
        let nameless = try F.write("Date,Open,High,Low,Close\n2024-03-01,1,2,0.5,1.5\n", "prices here.csv", in: directory)
        #expect { try F.source(nameless) } throws: { error in
            "\(error)".contains(#"named after its symbol, like AAPL.csv or AAPL.yahoo.csv, but "prices here.csv" names none"#)
        }
        #expect(throws: ReplayError.badSpeed(0)) { try F.source(unknown, speed: 0) }
    }

    @Test func directoryWithoutUsableFilesThrowsListingThem() throws {
        let directory = try TemporaryDirectory()
        #expect { try F.source(directory.url.path) } throws: { error in
            "\(error)"
                == "replay file \(directory.url.path) has no usable rows: the directory holds no .csv, .txt, .jsonl, .ndjson or .json file"
        }
        try F.write("", "AAPL.csv", in: directory)
        try F.write("x,y\n1,2\n", "MSFT.csv", in: directory)
        #expect { try F.source(directory.url.path) } throws: { error in
            "\(error)".hasSuffix(
                #"has no usable rows: AAPL.csv: skipped: it is empty; MSFT.csv: skipped: the header "x,y" is not a layout ticktop replays (expected symbol,timeframe,start,open,high,low,close,volume or symbol,time,bid,bid_size,ask,ask_size or symbol,time,price,size, or Yahoo's Date,Open,High,Low,Close,Adj Close,Volume or Alpha Vantage's timestamp,open,high,low,close,volume)"#
            )
        }
        try F.write(F.quoteFile([("IBM", "2024-03-01T14:30:00Z", 5)]), "IBM.csv", in: directory)
        let source = try F.source(directory.url.path)
        #expect(source.files == ["IBM.csv"])
        #expect(source.problems.map(\.file) == ["AAPL.csv", "MSFT.csv"] && source.problems.allSatisfy { $0.line == nil })
    }

    @Test func factoryReportsALoadFailureAsDown() throws {
        let clock = ManualClock()
        let factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: clock), clock: clock, timeSource: clock,
            logger: .quiet(), environment: [:])
        let setup = factory.make(F.configuration("/nonexistent/x.csv"))
        #expect(setup.source == nil && setup.state == .down && setup.detail == "replay file /nonexistent/x.csv does not exist")
        let running = factory.make(F.configuration(F.path("bars.csv")))
        #expect(running.source?.capabilities == [.historyBars, .latestQuotes] && running.state == .starting)
    }

    /// Found by the replay-csv fuzz target: two dated rows more than 292 years apart (1721 and
    /// 2024) overflowed the nanosecond gap the bar length is told from, and trapped.
    @Test func barsCenturiesApartAreReadNotATrap() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("AAPL.csv")
        try """
            Date,Open,High,Low,Close,Adj Close,Volume
            1721-03-01,179.55,180.53,177.38,179.66,178.93,73488000
            2024-03-04,176.15,176.90,173.79,175.10,174.38,81510100

            """.write(toFile: path, atomically: false, encoding: .utf8)
        let source = try F.source(path, clock: ManualClock())
        #expect(source.symbols.map(\.rawValue) == ["AAPL"])
        #expect(source.summary == "AAPL.csv: 2 bars of AAPL at recorded pace")
        // Dates, the closest two far more than 28 days apart: monthly bars.
        let all = Timestamp(nanoseconds: .min)...Timestamp(nanoseconds: .max)
        let bars = try await source.historyBars(for: try Symbol("AAPL"), timeframe: .oneMonth, in: all)
        #expect(bars.map(\.close) == [179.66, 175.10])
    }

    @Test func fuzzedGarbageNeverCrashes() async throws {
        let directory = try TemporaryDirectory()
        var random = SplitMix64(seed: 20_240_301)
        let seeds = try [
            F.path("bars.csv"), F.path("quotes.csv"), F.path("AAPL.yahoo.csv"), F.path("events.jsonl"),
            F.path("intraday_5min_IBM.csv")
        ].map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) }
        let names = ["AAPL.csv", "AAPL.jsonl", "AAPL.txt", "AAPL.dat"]
        let alphabet = Array(#"0123456789,.:-"{}[]\nTZ eE+abcnul"#.utf8) + [0, 0xFF, 0xEF, 0xBB, 0xBF, 13]
        var loaded = 0
        for round in 0..<400 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<random.below(300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = seeds[random.below(seeds.count)]
                for _ in 0..<(1 + random.below(12)) where !bytes.isEmpty {
                    let at = random.below(bytes.count)
                    switch random.below(3) {
                    case 0: bytes[at] = alphabet[random.below(alphabet.count)]
                    case 1: bytes.insert(alphabet[random.below(alphabet.count)], at: at)
                    default: bytes.remove(at: at)
                    }
                }
            }
            let path = directory.path("\(round)-\(names[random.below(names.count)])")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let clock = ManualClock()
            guard let source = try? F.source(path, clock: clock) else { continue }
            loaded += 1
            _ = source.problemSummary
            _ = source.summary
            let all = Timestamp(nanoseconds: .min)...Timestamp(nanoseconds: .max)
            for symbol in source.symbols {
                for timeframe in Timeframe.allCases {
                    _ = try await source.historyBars(for: symbol, timeframe: timeframe, in: all)
                }
            }
            _ = try await source.latestQuotes(for: [])
            var iterator = source.liveStream(for: []).makeAsyncIterator()
            _ = try await iterator.next()
        }
        #expect(loaded > 20)
    }
}
