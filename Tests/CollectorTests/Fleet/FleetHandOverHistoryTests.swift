import CollectorTestSupport
import Foundation
import Logging
import ProviderTestSupport
import Synchronization
import Testing

@testable import Collector

/// A history request under way when its symbol is handed over (a collector joined): the old
/// holder's hand-over waits for a request already spent, so its bars are written under the lease
/// and the successor, planning from what is stored, asks for nothing; a request still waiting
/// for budget is withdrawn and the successor fetches the window. Either way the provider answers
/// exactly one request per window. Two collectors, each with its own clock, backfill, pipeline and
/// store writer on one PostgreSQL schema, and one loopback Alpaca that counts the requests. Needs
/// `TICKTOP_TEST_POSTGRES_URL`.
@Suite(
    "Fleet hand-over of a history request under way",
    .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)),
    .timeLimit(.minutes(1)), .stopsItsRigs)
struct FleetHandOverHistoryTests {
    /// 18:00 in New York on Monday 4 November 2024: the day's session is over, so the daily window
    /// of 5 days expects 31 October and 1 November, and the day's own bar is the newest a plan asks for.
    static let now = Timestamp(rfc3339: "2024-11-04T23:00:00Z")!
    static let settings = FleetConfiguration(leaseTTL: .seconds(15), renewEvery: .seconds(5))

    /// The loopback Alpaca: daily bars for any stock, each request counted by symbol; the first
    /// request of `held` waits until `release()`. `paging`: a request from 31 October or earlier is
    /// answered in two pages (31 October and 1 November, then 4 November by `next_page_token`).
    struct Provider: Sendable {
        let server: LoopbackHTTPServer
        let answers: Answers

        static func start(holding held: String? = nil, paging: Bool = false) async throws -> Provider {
            let answers = Answers(holding: held, paging: paging)
            return Provider(server: try await LoopbackHTTPServer.start { await answers.answer($0) }, answers: answers)
        }

        func count(_ symbol: String) -> Int { answers.count(symbol) }
        /// Requests for a further page (with a `page_token`).
        var followingPages: Int { answers.count(Answers.followingPage) }
        func release() { answers.release() }
        func waitForRequest(of symbol: String) async { await answers.waitForRequest(of: symbol) }
    }

    final class Answers: Sendable {
        private struct State {
            var counts: [String: Int] = [:]
            var gate: CheckedContinuation<Void, Never>?
            var released = false
        }

        let held: String?
        let paging: Bool
        private let state = Mutex(State())
        private let arrivals = AsyncStream.makeStream(of: String.self)
        /// Where further pages are counted.
        static let followingPage = "page_token"

        init(holding held: String?, paging: Bool) { (self.held, self.paging) = (held, paging) }

        func count(_ symbol: String) -> Int { state.withLock { $0.counts[symbol] ?? 0 } }

        /// Answers the held request.
        func release() {
            let gate = state.withLock { state in
                state.released = true
                defer { state.gate = nil }
                return state.gate
            }
            gate?.resume()
        }

        /// Waits until the provider has received a request for `symbol`.
        func waitForRequest(of symbol: String) async {
            for await arrived in arrivals.stream where arrived == symbol { return }
        }

        func answer(_ request: RecordedRequest) async -> StubResponse {
            let parts = request.path.split(separator: "/")
            guard parts.count == 4, parts[1] == "stocks", parts[3] == "bars" else {
                return Fixture.json("alpaca/error-404.json", status: 404)
            }
            let symbol = String(parts[2])
            let token = request.query("page_token")
            let first = state.withLock { state in
                state.counts[token == nil ? symbol : Self.followingPage, default: 0] += 1
                return token == nil && state.counts[symbol] == 1
            }
            arrivals.continuation.yield(symbol)
            if first && symbol == held {
                await withCheckedContinuation { (gate: CheckedContinuation<Void, Never>) in
                    let go = state.withLock { state in
                        if state.released { return true }
                        state.gate = gate
                        return false
                    }
                    if go { gate.resume() }
                }
            }
            let bars = [
                #"{"t": "2024-10-31T04:00:00Z", "o": 100, "h": 102, "l": 99, "c": 101, "v": 1000, "n": 10, "vw": 100.5}"#,
                #"{"t": "2024-11-01T04:00:00Z", "o": 101, "h": 103, "l": 100, "c": 102, "v": 1000, "n": 10, "vw": 101.5}"#,
                #"{"t": "2024-11-04T05:00:00Z", "o": 102, "h": 104, "l": 101, "c": 103, "v": 1000, "n": 10, "vw": 102.5}"#
            ]
            let rest = token != nil || request.query("start").map { $0 > "2024-10-31" } == true
            let (page, next): (ArraySlice<String>, String) =
                if !paging { (bars[...], "null") } else if rest { (bars[2...], "null") } else { (bars[..<2], #""page-2""#) }
            return .json(#"{"bars": [\#(page.joined(separator: ","))], "symbol": "\#(symbol)", "next_page_token": \#(next)}"#)
        }
    }

    /// One collector: what `ticktop collect` wires for a fleet member, with one Alpaca source.
    struct Collector: Sendable {
        let coordinator: FleetCoordinator
        let store: PostgresStore
        let clock: ManualClock
        let progress: BackfillProgress
        let services: ServiceRig

        init(_ index: Int, schema: String, provider: Provider, watchlist: [Symbol], limit: RateLimit) throws {
            let url = try #require(try PostgresTestDatabase.url)
            let clock = ManualClock(epoch: FleetHandOverHistoryTests.now)
            let store = try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: clock, logger: .quiet())
            // A request is held at the provider as long as the test needs: no real-time timeout may end it.
            let source = AlpacaTestKit.source(provider.server, clock: clock, timeout: .seconds(600), limit: limit)
            let state = MarketState(
                watchlist: [], sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
            let writer = StoreWriter(
                store: store, state: state, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock,
                metrics: .off, logger: .quiet())
            let pipeline = IngestPipeline(state: state, sink: writer, timeSource: clock, logger: .quiet())
            let progress = BackfillProgress(sources: [source.id])
            let history = ProviderRequests()
            let backfill = BackfillService(
                source: source, watched: state.watched, store: store, state: state, pipeline: pipeline, progress: progress,
                depth: .init(dailyDays: 5, minuteDays: 0, recentMinuteBars: 0), timeSource: clock, logger: .quiet(),
                history: history)
            let member = FleetMember(
                id: "c\(index)", host: "host\(index)", pid: 100 + index, version: "0.1.0", startedAt: clock.now(),
                heartbeatAt: clock.now(), sources: [source.id], watchlist: watchlist)
            coordinator = FleetCoordinator(
                member: member, store: store, settings: FleetHandOverHistoryTests.settings, clock: clock, timeSource: clock,
                logger: .quiet(),
                flush: {
                    await pipeline.sendAndWait(IngestBatch())
                    await writer.flushed()
                    return writer.current.rowsWaiting == 0
                }, history: history
            ) { held in _ = await state.setWatchlist(held) }
            (self.store, self.clock, self.progress) = (store, clock, progress)
            services = ServiceRig([("ingest", IngestService(pipeline: pipeline, writer: writer)), ("backfill", backfill)])
        }

        /// Waits until its backfill has planned `symbol`'s window and is done with it (fetched,
        /// found stored, or left).
        func waitUntilBackfilled(_ symbol: Symbol) async throws {
            try await withSafetyLimit {
                while true {
                    let judged = await progress.judgedWindows().contains { $0.series.symbol == symbol }
                    if judged, await progress.report().first?.pending.isEmpty == true { return }
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
        }
    }

    static func symbol(_ text: String) -> Symbol { try! Symbol(text) }

    /// c0, whose budget allows one request a minute, and c1, with plenty, on one fresh schema.
    static func collectors(_ provider: Provider, watchlist: [Symbol]) throws -> (Collector, Collector) {
        let schema = PostgresTestDatabase.freshSchema()
        return (
            try Collector(
                0, schema: schema, provider: provider, watchlist: watchlist, limit: RateLimit(requests: 1, per: .seconds(60))),
            try Collector(
                1, schema: schema, provider: provider, watchlist: watchlist, limit: RateLimit(requests: 200, per: .seconds(60)))
        )
    }

    /// Set once something has happened.
    final class Flag: Sendable {
        private let value = Atomic(false)
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }

    /// c0 holds MSFT and AAPL and its backfill has MSFT's request on the wire when c1 joins and is
    /// given MSFT: c0's hand-over waits for the answer, writes its three bars under its lease, then
    /// hands MSFT over; c1 finds them stored and asks for nothing. (Before, the hand-over did not
    /// wait: the bars came after it and were fenced, and c1 asked for the same window again.)
    @Test func aHandOverWaitsForAHistoryRequestOnTheWire() async throws {
        let provider = try await Provider.start(holding: "MSFT")
        let schema = PostgresTestDatabase.freshSchema()
        let (msft, aapl) = (Self.symbol("MSFT"), Self.symbol("AAPL"))
        let limit = RateLimit(requests: 200, per: .seconds(60))
        // MSFT first in the watchlist: backfilled first. c0 keeps AAPL (first in symbol order) and gives MSFT.
        let c0 = try Collector(0, schema: schema, provider: provider, watchlist: [msft, aapl], limit: limit)
        let c1 = try Collector(1, schema: schema, provider: provider, watchlist: [msft, aapl], limit: limit)
        await c0.coordinator.round()
        try await withSafetyLimit { await provider.waitForRequest(of: "MSFT") }
        await c1.coordinator.round()
        let ended = Flag()
        let handing = Task {
            await c0.coordinator.round()
            ended.set()
        }
        // The hand-over waits for MSFT's answer, its renewals sleeping meanwhile (one that does not
        // wait has ended by then).
        let clock = c0.clock
        await ManualClock.wait(
            until: {
                ended.isSet || clock.sleeps.contains { $0.purpose == FleetCoordinator.handOverPurpose }
            }, what: "c0's hand-over waiting, or its round's end", limit: .seconds(20))
        provider.release()
        await handing.value
        #expect(c0.coordinator.held == [aapl])
        await c1.coordinator.round()
        #expect(c1.coordinator.held == [msft])
        try await c1.waitUntilBackfilled(msft)

        #expect(provider.count("MSFT") == 1, "one request for MSFT's window in the whole fleet")
        let stored = try await c1.store.barStarts(
            symbol: msft, timeframe: .oneDay, source: nil, in: (Self.now - .seconds(864_000))...Self.now)
        #expect(stored.count == 3, "c0 wrote what MSFT's request brought before handing it over")
        await c0.services.stop()
        await c1.services.stop()
        await provider.server.stop()
        await c1.store.close()
        try await c0.store.dropSchema()
    }

    /// c0's budget allows one request a minute: MSFT's first page takes it, and its second waits for
    /// the next when c1 is given MSFT. The hand-over stops the request there: no further page is
    /// sent, the first page's bars are written under c0's lease, and c1 asks for the rest only.
    /// (Before, the hand-over waited for the whole request, its second page's budget included.)
    @Test func aHandOverStopsAPaginatedRequestBeforeItsNextPage() async throws {
        let provider = try await Provider.start(paging: true)
        let (msft, aapl) = (Self.symbol("MSFT"), Self.symbol("AAPL"))
        let (c0, c1) = try Self.collectors(provider, watchlist: [msft, aapl])
        await c0.coordinator.round()
        try await withSafetyLimit { await c0.clock.waitForSleeper(named: "limiter") }
        #expect(provider.count("MSFT") == 1 && provider.followingPages == 0, "MSFT's second page waits for budget")
        await c1.coordinator.round()
        try await withSafetyLimit { await c0.coordinator.round() }
        #expect(c0.coordinator.held == [aapl])
        let window = (Self.now - .seconds(864_000))...Self.now
        let written = try await c0.store.barStarts(symbol: msft, timeframe: .oneDay, source: nil, in: window)
        #expect(written.count == 2, "the first page's bars, written before the hand-over")
        await c1.coordinator.round()
        #expect(c1.coordinator.held == [msft])
        try await c1.waitUntilBackfilled(msft)

        #expect(provider.followingPages == 0, "c0 sent no further page; c1 asked for the rest alone")
        let starts = provider.server.requests.filter { $0.path.contains("/MSFT/") }.compactMap { $0.query("start") }
        #expect(
            starts.count == 2 && starts.last.map { $0 > "2024-11-01T04:00:00Z" } == true,
            "c1 asked for what follows the stored bars")
        await c0.services.stop()
        await c1.services.stop()
        await provider.server.stop()
        await c1.store.close()
        try await c0.store.dropSchema()
    }

    /// c0's budget allows one request a minute: AAPL's takes it and MSFT's waits for the next when
    /// c1 is given MSFT. That request has cost nothing: the hand-over withdraws it, and c1 fetches
    /// MSFT's window once. (Before, c0's request went out when its budget came back, a second one.)
    @Test func aHandOverWithdrawsAHistoryRequestWaitingForBudget() async throws {
        let provider = try await Provider.start()
        let (msft, aapl) = (Self.symbol("MSFT"), Self.symbol("AAPL"))
        let (c0, c1) = try Self.collectors(provider, watchlist: [aapl, msft])
        await c0.coordinator.round()
        try await withSafetyLimit { await c0.clock.waitForSleeper(named: "limiter") }
        #expect(provider.count("AAPL") == 1 && provider.count("MSFT") == 0)
        await c1.coordinator.round()
        await c0.coordinator.round()
        #expect(c0.coordinator.held == [aapl])
        await c1.coordinator.round()
        #expect(c1.coordinator.held == [msft])
        try await c1.waitUntilBackfilled(msft)
        // c0's budget comes back: a request still waiting would go out now.
        c0.clock.advance(by: .seconds(61))
        try await c0.waitUntilBackfilled(msft)

        #expect(provider.count("MSFT") == 1, "one request for MSFT's window in the whole fleet")
        await c0.services.stop()
        await c1.services.stop()
        await provider.server.stop()
        await c1.store.close()
        try await c0.store.dropSchema()
    }
}
