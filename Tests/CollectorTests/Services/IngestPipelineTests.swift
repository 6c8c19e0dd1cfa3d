import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

@Suite("Ingest pipeline")
struct IngestPipelineTests {
    @Test func validatesAppliesAndForwardsToTheStore() async {
        let clock = FixedTimeSource()
        let aapl = F.symbol("AAPL")
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let sink = RecordingStoreSink()
        let pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: Logger.quiet())
        let t = clock.now()
        pipeline.submit(
            IngestBatch(
                events: [
                    .quote(F.quote(last: 100, at: t)),
                    .quote(F.quote(bid: 5, ask: 4, at: t + .seconds(1))),  // crossed: quarantined
                    .quote(F.quote(last: 101, at: t + .seconds(2))),
                    .bar(F.bar(start: t)),
                    .trade(F.trade(at: t))
                ], health: [.delivered(.simulated, .init(count: 5, path: .stream, at: t))]))
        pipeline.finish()
        await pipeline.run()

        let snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.selected?.last == 101)
        #expect(snapshot.quarantinedCount == 1)
        #expect(snapshot.sources.first?.state == .streaming)
        #expect(sink.finished, "the pipeline finishes the sink so pending writes flush")
        let written = sink.batches
        #expect(written.count == 1)
        #expect(written.first?.quotes.map(\.last) == [100, 101], "the accepted quotes, in order")
        #expect(written.first?.newestQuotes.map(\.last) == [101], "the write upserts only the latest per symbol and source")
        #expect(written.first?.bars.count == 1)
        #expect(written.first?.anomalies.map(\.rule) == ["crossed-quote"], "quarantined values are stored, not dropped")
    }

    /// Issue 13: a source's REST quote (whole-second time, or delayed by the rate limiter)
    /// arriving after newer quotes from its stream was flagged `time-backwards` and quarantined,
    /// so nearly every `--once` with Polygon or Finnhub exited 3. Order is per delivery path;
    /// the older polled value is not an anomaly and does not replace the newer streamed one.
    @Test func aPolledQuoteBehindTheStreamIsNotNewerAndNotAnAnomaly() async {
        let clock = FixedTimeSource()
        let aapl = F.symbol("AAPL")
        let polygon = SourceID("polygon")
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: polygon, kind: "polygon", priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: Logger.quiet())
        let t = clock.now()
        pipeline.submit(
            IngestBatch(
                path: .stream,
                events: [
                    .quote(F.quote(source: polygon, last: 101, at: t + .milliseconds(400))),
                    .quote(F.quote(source: polygon, last: 102, at: t + .milliseconds(900)))
                ]))
        // Finnhub-style whole-second time: the same moment read coarser, so older.
        pipeline.submit(IngestBatch(path: .poll, events: [.quote(F.quote(source: polygon, last: 100.5, at: t))]))
        pipeline.submit(IngestBatch(path: .poll, events: [.quote(F.quote(source: polygon, last: 103, at: t + .seconds(2)))]))
        pipeline.submit(
            IngestBatch(
                path: .stream,
                events: [
                    .quote(F.quote(source: polygon, last: 102.5, at: t + .milliseconds(1500)))
                ]))
        pipeline.finish()
        await pipeline.run()

        let snapshot = await state.snapshot()
        #expect(snapshot.anomalyCount == 0, "\(snapshot.recentAnomalies.map(\.message))")
        #expect(snapshot.quarantinedCount == 0)
        #expect(snapshot.symbol(aapl)?.selected?.last == 103, "the newest value of either path is shown")
    }
}
