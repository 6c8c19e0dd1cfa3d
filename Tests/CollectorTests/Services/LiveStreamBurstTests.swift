import Collector
import CollectorTestSupport
import ProviderTestSupport
import Synchronization
import Testing

/// A burst faster than the core consumes: the pipeline is held (capacity 1, not yet
/// running) while the server sends 1,000 quotes and 50 bars, so the stream's buffer
/// coalesces quotes and, at 40 bars, holds the socket reader (the last frames wait in the
/// socket; they fit its buffers, so the server finishes sending); then the core starts.
@Suite("Live stream burst", .serialized, .stopsItsRigs)
struct LiveStreamBurstTests {
    static let quotesPerFrame = 20
    static let frames = 50

    static func frame(_ index: Int) -> String {
        let quotes = (0..<quotesPerFrame).map { step in
            let n = index * quotesPerFrame + step
            let bid = 180 + Double(n) / 100
            let time = Timestamp(rfc3339: "2026-03-02T14:00:00Z")! + .milliseconds(Int64(n))
            return
                #"{"T":"q","S":"AAPL","bx":"V","bp":\#(bid),"bs":2,"ax":"V","ap":\#(bid + 0.02),"as":1,"t":"\#(time.iso8601)","c":["R"],"z":"C"}"#
        }
        let start = Timestamp(rfc3339: "2026-03-02T13:00:00Z")! + .seconds(Int64(index) * 60)
        let bar = #"{"T":"b","S":"AAPL","o":180,"h":181,"l":179.5,"c":180.5,"v":100,"t":"\#(start.iso8601)","n":3,"vw":180.2}"#
        return "[" + (quotes + [bar]).joined(separator: ",") + "]"
    }

    @Test func quotesCoalesceAndEveryBarArrives() async throws {
        let sent = SentFlag()
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"subscription","trades":["AAPL"],"quotes":["AAPL"],"bars":["AAPL"]}]"#)
            for index in 0..<Self.frames { try await peer.send(Self.frame(index)) }
            sent.set()
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let aapl = MarketFixtures.symbol("AAPL")
        let sink = RecordingStoreSink()
        let tapeStore = InMemoryStore()
        let tape = TapeRecorder(store: tapeStore, batchSize: 100, logger: .quiet())
        let rig = LiveStreamRig(
            server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock, sink: sink,
            pipelineCapacity: 1, startingCore: false, tape: tape
        ) { $0.bufferCapacity = 40 }
        let (state, pipeline) = (rig.state, rig.pipeline)
        try await withSafetyLimit { await ManualClock.wait { sent.value } }
        #expect(pipeline.queuedBatches <= 2, "the pipeline's queue stays bounded while the core is held")
        rig.startCore()

        let total = Self.frames * Self.quotesPerFrame
        let lastBid = 180 + Double(total - 1) / 100
        let done = try await withSafetyLimit {
            await state.firstSnapshot { snapshot in
                snapshot.symbol(aapl)?.selected?.bid == lastBid && sink.batches.flatMap(\.bars).count == Self.frames
            }
        }
        let health = try #require(done?.sources.first)
        let bars = sink.batches.flatMap(\.bars)
        #expect(Set(bars.map(\.start)).count == Self.frames, "no bar lost, none twice")
        #expect(done?.anomalyCount == 0, "\(done?.recentAnomalies.map { "\($0.rule): \($0.message)" } ?? [])")
        let coalesced = health.stream?.coalesced ?? 0
        let deliveredQuotes = health.messageCount - Self.frames
        #expect(coalesced > 0, "the held core made quotes coalesce")
        #expect(coalesced + deliveredQuotes == total, "every quote was delivered or counted as coalesced")
        #expect(health.stream?.dropped == 0)
        await rig.stop()
        await server.stop()

        // The tape took every quote as received, before the buffer coalesced them, and no bar.
        tape.finish()
        await tape.run()
        let recorded = await tapeStore.ticks(symbol: aapl, source: nil, in: Timestamp.supportedRange, limit: .max)
        #expect(recorded.count == total && recorded.allSatisfy { $0.kind == .quote })
        #expect(recorded.map(\.bid) == (0..<total).map { 180 + Double($0) / 100 })
        #expect(tape.statistics.ticksWritten == total && tape.statistics.ticksLost == 0)
    }
}

private final class SentFlag: Sendable {
    private let flag = Atomic(false)
    var value: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
