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
        case .recorded(let path): Issue.record("recorded \(path); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
        case .missing(let path): Issue.record("no snapshot at \(path); run with RECORD_SNAPSHOTS=1 to record", sourceLocation: sourceLocation)
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
        #expect(quotes[3]["quality"] as? String == "stale")
        #expect(quotes[4]["quality"] as? String == "no-data")
        let sources = try #require(object["sources"] as? [[String: Any]])
        #expect(sources.map { $0["state"] as? String } == ["no-key", "streaming"])
        let anomalies = try #require(object["anomalies"] as? [[String: Any]])
        #expect(anomalies.first?["rule"] as? String == "crossed-quote")
        #expect((anomalies.first?["values"] as? [String: Double])?["bid"] == 61_020)
        #expect(object["exitCode"] as? Int == 2)
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
        await state.apply(StateUpdate(accepted: [
            .quote(Quote(lastTrade: aapl, source: finnhub, price: 211.42, exchangeTime: now, receivedAt: now)),
        ]))
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
        await state.apply(StateUpdate(accepted: [.quote(old)]))
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
