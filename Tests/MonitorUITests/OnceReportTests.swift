import Collector
import CollectorTestSupport
import Foundation
import MonitorUI
import Testing

@Suite("Once report")
struct OnceReportTests {
    func expectSnapshot(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        switch TextSnapshot.verify(text, named: name) {
        case .matched: break
        case .recorded(let path):
            Issue.record("recorded \(path); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        case .missing(let path):
            Issue.record("no snapshot at \(path); run with RECORD_SNAPSHOTS=1 to record", sourceLocation: sourceLocation)
        case .mismatch(_, let diff): Issue.record("snapshot \(name) differs:\n\(diff)", sourceLocation: sourceLocation)
        }
    }

    @Test func textReport() async {
        let snapshot = await SnapshotFixtures.snapshot()
        let history = [HistoryCount(symbol: MarketFixtures.symbol("AAPL"), dailyBars: 400, minuteBars: 10_080)]
        let text = OnceTextReport(snapshot: snapshot, history: history, store: "/tmp/t.sqlite").render()
        expectSnapshot(text, "once-text")
    }

    @Test func verdictRanksMissingAboveQuarantined() async {
        let snapshot = await SnapshotFixtures.snapshot()
        let verdict = OnceVerdict(snapshot)
        #expect(verdict == .stale(symbols: ["MSFT", "NVDA"].map(MarketFixtures.symbol)))
        #expect(verdict.exitCode == 2)
        var clean = snapshot
        clean.symbols = clean.symbols.filter { $0.quality != .stale && $0.quality != .noData }
        #expect(OnceVerdict(clean) == .quarantined(count: 1))
        #expect(OnceVerdict(clean).exitCode == 3)
        clean.quarantinedCount = 0
        #expect(OnceVerdict(clean) == .clean(closed: []))
        #expect(OnceVerdict(clean).exitCode == 0)
        clean.symbols[0].disagreeingSources = ["alpaca", .simulated]
        #expect(OnceVerdict(clean) == .disagree(symbols: [MarketFixtures.symbol("AAPL")]))
        #expect(OnceVerdict(clean).exitCode == 4)
    }

    @Test func aSymbolWithNoDataSaysWhyInTextAndJSON() async throws {
        let clock = FixedTimeSource(MarketFixtures.baseTime)
        let nope = MarketFixtures.symbol("NOPE")
        let state = MarketState(
            watchlist: [nope], sources: [.init(id: "finnhub", kind: "finnhub", priority: 1)], timeSource: clock)
        await state.apply(health: [
            .connected("finnhub", detail: nil), .noData("finnhub", nope, reason: "unknown to FINNHUB")
        ])
        let snapshot = await state.snapshot()
        let text = OnceTextReport(snapshot: snapshot, history: [], store: "memory").render()
        #expect(text.contains("NOPE: no data: unknown to FINNHUB"), "\(text)")
        let data = try JSONEncoder().encode(OnceReport(snapshot: snapshot, history: [], store: "memory"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let quotes = try #require(object["quotes"] as? [[String: Any]])
        #expect(quotes.first?["noDataReason"] as? String == "unknown to FINNHUB")
    }

    @Test func barsRevisedPerSourceShowInTextAndJSON() async throws {
        let clock = FixedTimeSource(MarketFixtures.baseTime)
        let sources: [MarketState.SourceEntry] = [
            .init(id: "alpaca", kind: "alpaca", priority: 1), .init(id: "yahoo", kind: "yahoo", priority: 2)
        ]
        let state = MarketState(watchlist: [MarketFixtures.symbol("AAPL")], sources: sources, timeSource: clock)
        let before = OnceTextReport(snapshot: await state.snapshot(), history: [], store: "memory").render()
        #expect(!before.contains("REVISED"), "no revisions: no column")
        await state.apply(health: [.revised("yahoo", bars: 2), .revised("yahoo", bars: 5)])
        let snapshot = await state.snapshot()

        let lines = SourceHealthText.lines(snapshot)
        let header = try #require(lines.first?.range(of: "REVISED"))
        let end = lines[0].distance(from: lines[0].startIndex, to: header.upperBound)
        /// The right-aligned cell under REVISED in the row of `source`.
        func revised(_ source: String) -> String? {
            lines.first { $0.hasPrefix(source + " ") }.flatMap { $0.prefix(end).split(separator: " ").last.map(String.init) }
        }
        #expect(revised("YAHOO") == "7", "\(lines)")
        #expect(revised("ALPACA") == "0", "\(lines)")

        let data = try JSONEncoder().encode(OnceReport(snapshot: snapshot, history: [], store: "memory"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entries = try #require(object["sources"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == ["alpaca", "yahoo"])
        #expect(entries.map { $0["barsRevised"] as? Int } == [0, 7])
    }

    @Test func jsonReportHasQuotesHealthAndAnomalies() async throws {
        let snapshot = await SnapshotFixtures.snapshot()
        let report = OnceReport(snapshot: snapshot, history: [], store: "memory")
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let quotes = try #require(object["quotes"] as? [[String: Any]])
        #expect(quotes.map { $0["symbol"] as? String } == ["AAPL", "EURUSD=X", "BTC-USD", "MSFT", "NVDA"])
        #expect(quotes[0]["source"] as? String == "SIM")
        #expect(quotes[0]["last"] as? Double == 189.42)
        #expect(quotes[0]["ageSeconds"] as? Double == 2)
        #expect(quotes[0]["previousClose"] as? Double == 187.5)
        #expect(quotes[0]["previousCloseSource"] as? String == "SIM")
        #expect(quotes[0]["previousCloseOrigin"] as? String == "quote")
        #expect(quotes[0]["previousCloseSession"] as? String == "2026-02-27")
        #expect(quotes[3]["quality"] as? String == "stale")
        #expect(quotes[4]["quality"] as? String == "no-data")
        let sources = try #require(object["sources"] as? [[String: Any]])
        #expect(sources.map { $0["state"] as? String } == ["no-key", "streaming"])
        let anomalies = try #require(object["anomalies"] as? [[String: Any]])
        #expect(anomalies.first?["rule"] as? String == "crossed-quote")
        #expect((anomalies.first?["values"] as? [String: Double])?["bid"] == 61_020)
        #expect(object["exitCode"] as? Int == 2)
    }

    @Test func rowsThatCouldNotBeStoredOutrankEverythingAndExitOne() async throws {
        var snapshot = await SnapshotFixtures.snapshot()
        snapshot.symbols = snapshot.symbols.filter { $0.quality != .stale && $0.quality != .noData }
        snapshot.quarantinedCount = 0
        var writes = StoreWriterStatistics()
        writes.rowsWritten = 10
        writes.failures = 1
        snapshot.store = writes
        #expect(OnceVerdict(snapshot) == .clean(closed: []), "a failure later written is no loss")

        writes.rowsWaiting = 65_442
        writes.spillPath = "/d/ticktop.sqlite.spill.jsonl"
        writes.failureCause = "disk full"
        writes.rowsDropped = 3
        writes.droppedByKind = ["bars": 2, "quotes": 1]
        writes.droppedSymbols = [MarketFixtures.symbol("MSFT"), MarketFixtures.symbol("AAPL")]
        // The statistics travel in the snapshot: the verdict, the text and the JSON read them there.
        snapshot.store = writes
        let verdict = OnceVerdict(snapshot)
        let summary =
            "65,445 rows could not be stored (disk full): 65,442 kept in /d/ticktop.sqlite.spill.jsonl "
            + "for the next start, 3 dropped (bars, quotes of AAPL, MSFT)"
        #expect(verdict == .unstored(summary))
        #expect(verdict.exitCode == 1)

        let text = OnceTextReport(snapshot: snapshot, history: [], store: "/d/ticktop.sqlite").render()
        #expect(text.hasSuffix("status: \(summary) (exit 1)\n"))
        let report = OnceReport(snapshot: snapshot, history: [], store: "/d/ticktop.sqlite")
        let object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["exitCode"] as? Int == 1)
        #expect(object["status"] as? String == "not-stored")
        let store = try #require(object["storeWrites"] as? [String: Any])
        #expect(store["rowsWaiting"] as? Int == 65_442 && store["rowsDropped"] as? Int == 3)
        #expect(store["droppedSymbols"] as? [String] == ["AAPL", "MSFT"])
        #expect(store["spillFile"] as? String == "/d/ticktop.sqlite.spill.jsonl")
    }

    @Test func jsonCarriesAStreamsCountersOnlyForStreamingSources() async throws {
        let report = OnceReport(snapshot: await SnapshotFixtures.liveStreamSnapshot(), history: [], store: "memory")
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        let sources = try #require(object["sources"] as? [[String: Any]])
        let stream = try #require(sources.first?["stream"] as? [String: Int])
        #expect(stream == ["reconnects": 2, "coalesced": 57, "dropped": 1])
        #expect(sources.last?["stream"] == nil, "a polled source has no stream counters")
    }

    @Test func jsonCarriesEachSymbolsOpenAlertsAndQuarantinedValues() async throws {
        let snapshot = await SnapshotFixtures.snapshot()
        let report = OnceReport(snapshot: snapshot, history: [], store: "memory")
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        let quotes = try #require(object["quotes"] as? [[String: Any]])
        let bySymbol = Dictionary(uniqueKeysWithValues: quotes.map { ($0["symbol"] as? String ?? "", $0) })
        let btc = try #require(bySymbol["BTC-USD"]?["quarantined"] as? [[String: Any]])
        #expect(btc.map { $0["rule"] as? String } == ["crossed-quote"])
        #expect((btc.first?["values"] as? [String: Double])?["ask"] == 61_000)
        let msft = try #require(bySymbol["MSFT"]?["openAlerts"] as? [[String: Any]])
        #expect(msft.map { $0["kind"] as? String } == ["symbol-silent"])
        #expect((bySymbol["AAPL"]?["openAlerts"] as? [Any])?.isEmpty == true)
        #expect((bySymbol["AAPL"]?["quarantined"] as? [Any])?.isEmpty == true)
    }

    /// Issue 13: Alpha Vantage `GLOBAL_QUOTE` and Finnhub `/quote` send no bid or ask, yet the
    /// board, the text report and the JSON showed bid = ask = last with a spread of 0.00.
    @Test func aLastTradeQuoteShowsNoMadeUpBidAskOrSpread() async throws {
        let clock = FixedTimeSource(MarketFixtures.baseTime)
        let aapl = MarketFixtures.symbol("AAPL")
        let finnhub = SourceID("finnhub")
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: finnhub, kind: "finnhub", priority: 1)], timeSource: clock)
        let now = clock.now()
        await state.apply(accepted: [
            .quote(Quote(lastTrade: aapl, source: finnhub, price: 211.42, exchangeTime: now, receivedAt: now))
        ])
        let snapshot = await state.snapshot()
        let symbol = try #require(snapshot.symbol(aapl))

        let row = QuoteRow(symbol, at: now)
        #expect(row.last == "211.42")
        #expect(row.bid == "-" && row.ask == "-" && row.spread == "-")
        let text = OnceTextReport(snapshot: snapshot, history: [], store: nil).render()
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("AAPL") })
        #expect(line.contains("211.42") && !line.contains("0.00"), "no made-up bid, ask or spread: \(line)")

        let data = try JSONEncoder().encode(OnceReport(snapshot: snapshot, history: [], store: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let quote = try #require((object["quotes"] as? [[String: Any]])?.first)
        #expect(quote["last"] as? Double == 211.42)
        #expect(quote["lastTradeOnly"] as? Bool == true)
        for field in ["bid", "ask", "bidSize", "askSize", "spread"] {
            #expect(quote[field] is NSNull, "\(field) is null, not left out or made up: \(quote[field] ?? "absent")")
        }
    }

    /// Issue 13: a recorded Polygon trade from May 2022 served today showed AGE 0s and
    /// `ageSeconds` 0.0025, because age was counted from receipt. Age counts from the exchange
    /// time; the lag between exchange time and receipt is the source's feed delay.
    @Test func ageCountsFromTheExchangeTimeAndTheLagIsTheFeedDelay() async throws {
        let clock = FixedTimeSource(MarketFixtures.baseTime)
        let aapl = MarketFixtures.symbol("AAPL")
        let polygon = SourceID("polygon")
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: polygon, kind: "polygon", priority: 1)], timeSource: clock)
        let now = clock.now()
        let old = MarketFixtures.quote(source: polygon, at: now - .seconds(900), receivedAt: now - .milliseconds(2))
        await state.apply(accepted: [.quote(old)])
        let snapshot = await state.snapshot()
        let symbol = try #require(snapshot.symbol(aapl))
        #expect(symbol.age(at: now) == .seconds(900))
        #expect(QuoteRow(symbol, at: now).age != "0s")
        #expect(symbol.quality != .clean, "a 15-minute-old value is not fresh, however recently it arrived")

        let data = try JSONEncoder().encode(OnceReport(snapshot: snapshot, history: [], store: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let quote = try #require((object["quotes"] as? [[String: Any]])?.first)
        #expect(quote["ageSeconds"] as? Double == 900)
        #expect(quote["feedDelaySeconds"] as? Double == 899.998)
        let source = try #require((object["sources"] as? [[String: Any]])?.first)
        #expect(source["feedDelaySeconds"] as? Double == 899.998)
    }
}

extension OnceReportTests {
    static func coverage(missing: [BarGap]) -> SeriesCoverage {
        let t = { (text: String) in Timestamp(rfc3339: text)! }
        return SeriesCoverage(
            symbol: MarketFixtures.symbol("AAPL"), timeframe: .oneMinute,
            window: t("2026-03-02T15:00:00Z")...t("2026-03-03T16:00:00Z"), storedBars: 400,
            stored: t("2026-03-02T15:00:00Z")...t("2026-03-03T15:59:00Z"), missing: missing)
    }

    static let hole = BarGap(
        first: Timestamp(rfc3339: "2026-03-02T16:00:00Z")!, last: Timestamp(rfc3339: "2026-03-02T16:09:00Z")!,
        missingBars: 10)

    @Test func historyLeftWithHolesExitsFiveBelowEveryOtherFinding() async {
        var clean = await SnapshotFixtures.snapshot()
        clean.symbols = clean.symbols.filter { $0.quality != .stale && $0.quality != .noData }
        clean.quarantinedCount = 0
        let holes = [Self.coverage(missing: [Self.hole])]
        #expect(OnceVerdict(clean, coverage: [Self.coverage(missing: [])]) == .clean(closed: []))
        let verdict = OnceVerdict(clean, coverage: holes)
        #expect(verdict == .incompleteHistory(series: ["AAPL 1Min"], missingBars: 10))
        #expect(verdict.exitCode == 5)
        #expect(verdict.summary == "history incomplete: 10 expected bars missing for AAPL 1Min")
        clean.symbols[0].disagreeingSources = ["alpaca", .simulated]
        #expect(OnceVerdict(clean, coverage: holes).exitCode == 4, "a disagreement now outranks an old hole")
    }

    @Test func reportsGiveTheStoredRangeAndMissingWindowsPerSeries() async throws {
        let snapshot = await SnapshotFixtures.snapshot()
        let coverage = [Self.coverage(missing: [Self.hole])]
        let report = OnceReport(snapshot: snapshot, history: [], store: "memory", coverage: coverage)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        let entries = try #require(object["coverage"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["symbol"] as? String == "AAPL")
        #expect(entries.first?["timeframe"] as? String == "1Min")
        #expect(entries.first?["storedBars"] as? Int == 400)
        #expect(entries.first?["firstBar"] as? String == "2026-03-02T15:00:00.000Z")
        #expect(entries.first?["missingBars"] as? Int == 10)
        let missing = try #require(entries.first?["missing"] as? [[String: Any]])
        #expect(missing.first?["first"] as? String == "2026-03-02T16:00:00.000Z")
        #expect(missing.first?["last"] as? String == "2026-03-02T16:09:00.000Z")

        let text = OnceTextReport(snapshot: snapshot, history: [], store: nil, coverage: coverage).render()
        #expect(text.contains("missing AAPL 1Min: 2026-03-02T16:00:00Z to 2026-03-02T16:09:00Z (10 bars)"))
        #expect(text.contains("10 bars in 1 window"))
    }
}
