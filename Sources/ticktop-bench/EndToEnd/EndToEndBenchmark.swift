import Collector
import CollectorTestSupport
import Foundation
import Logging
import ProviderTestSupport
import ServiceLifecycle
import Synchronization

/// `ticktop-bench e2e`: a loopback WebSocket server sends seeded Alpaca frames (`AlpacaFeed`) at
/// fixed rates, then as fast as it can, through the real stream service (`LiveStreamService` over
/// `HummingbirdWebSocketTransport`, the Alpaca decoder and protocol machine, the stream buffer),
/// the ingest pipeline with the configured validator, `MarketState` and the SQLite `StoreWriter`
/// (a temporary database), each rate a fresh run of `seconds`.
///
/// Backlog is the messages sent minus those handled (applied to the state, coalesced in the
/// stream buffer or dropped as late, as the state's source health counts them), sampled once a
/// second; it grows when the least-squares slope of those samples exceeds 1% of the offered rate.
/// A rate is sustained when the server sent at least 97% of it and the backlog did not grow.
///
/// With `--tape` (`[store] ticks = true`), the pipeline also records every trade and quote on the
/// SQLite tape (`TapeRecorder`, the collector's batch size, the same database); a rate is then
/// sustained only if the tape lost no tick and its queue did not grow either.
enum EndToEndBenchmark {
    /// The Nasdaq UTP SIP's 2024 one-second quote peak, messages per second.
    static let goalRate = 403_572
    static let goalSnapshotP99 = 50.0
    static let source: SourceID = "alpaca"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Options {
        var seconds = 60
        /// Messages per second; nil: as fast as the server can send.
        var rates: [Int?] = [10_000, 100_000, EndToEndBenchmark.goalRate, nil]
        var symbols = 1_000
        var perFrame = 20
        var seed: UInt64 = 42
        /// Records the tape too (`[store] ticks = true`).
        var tape = false
    }

    /// What one rate's run measured.
    struct Phase {
        var rate: Int?
        var seconds: Double
        var sent = 0
        var handled = 0
        var applied = 0
        var coalesced = 0
        var dropped = 0
        var quarantined = 0
        var backlogEnd = 0
        var backlogMax = 0
        /// Messages per second the backlog grew by (least squares over the window).
        var backlogSlope = 0.0
        var caughtUpSeconds: Double?
        var cpuPercent = 0.0
        var peakMemory: Int?
        var snapshot: LatencyRecorder.Summary
        var commit: LatencyRecorder.Summary
        /// With `--tape`: what the tape did in the window.
        var tape: TapeFigures?

        var sendRate: Double { Double(sent) / seconds }
        var handledRate: Double { Double(handled) / seconds }
        /// The rate offered: the one asked for, or what the server managed at full speed.
        var offered: Double { rate.map(Double.init) ?? sendRate }
        var backlogGrows: Bool { backlogSlope > 0.01 * offered }
        var sustained: Bool { sendRate >= 0.97 * offered && !backlogGrows && tape.map { $0.keptUp(offered) } != false }
        var label: String { rate.map { "\($0.formatted())/s" } ?? "max" }
    }

    /// The tape's figures over one rate's window (`--tape`).
    struct TapeFigures {
        var written = 0
        var lost = 0
        var waitingEnd = 0
        var waitingMax = 0
        /// Ticks per second the tape's queue grew by (least squares over the window).
        var waitingSlope = 0.0
        var seconds = 1.0

        var rate: Double { Double(written) / seconds }
        func keptUp(_ offered: Double) -> Bool { lost == 0 && waitingSlope <= 0.01 * offered }
    }

    static func run(_ options: Options) async throws -> [BenchmarkResult] {
        print(
            (options.tape ? "e2e with the tape on: " : "")
                + "e2e: \(options.symbols) symbols, \(options.perFrame) messages a frame at most, \(options.seconds) s per rate, "
                + "seed \(options.seed); CPU and memory are the whole process (the loopback server included: "
                + "its feed costs \(String(format: "%.2f", feedCost(options) * 1e6)) us of CPU per message)")
        var phases: [Phase] = []
        for rate in options.rates {
            let phase = try await run(rate: rate, options)
            print(describe(phase))
            phases.append(phase)
        }
        print(summary(phases))
        return phases.map { phase in
            BenchmarkResult(
                name: "e2e\(options.tape ? " tape" : "") \(phase.label)", count: phase.handled, seconds: phase.seconds,
                note: String(
                    format: "sent %.0f/s, %@, snapshot p99 %.2f ms, commit p99 %.2f ms, cpu %.0f%%", phase.sendRate,
                    phase.sustained ? "sustained" : "not sustained", phase.snapshot.p99, phase.commit.p99, phase.cpuPercent))
        }
    }

    /// CPU seconds the feed takes to make one message (measured on 200,000), to weigh the CPU figure.
    static func feedCost(_ options: Options) -> Double {
        var feed = AlpacaFeed(symbolCount: options.symbols, seed: options.seed)
        let now = SystemTimeSource().now()
        let count = 200_000
        var bytes = 0
        let before = ProcessUsage.cpuSeconds()
        for _ in 0..<(count / options.perFrame) { bytes += feed.frame(messages: options.perFrame, at: now).utf8.count }
        precondition(bytes > 0)
        return (ProcessUsage.cpuSeconds() - before) / Double(count)
    }

    // MARK: - One rate

    private static func run(rate: Int?, _ options: Options) async throws -> Phase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ticktop-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "e2e")  // warnings and errors on stderr: a run that fails says why
        logger.logLevel = ProcessInfo.processInfo.environment["TICKTOP_E2E_DEBUG"] == nil ? .warning : .debug
        let sender = Sender(rate: rate, options: options)
        let server = try await LoopbackWebSocketServer.start { peer in try await sender.serve(peer) }

        let watchlist = AlpacaFeed(symbolCount: options.symbols, seed: options.seed).watchlist
        let time = SystemTimeSource()
        let state = MarketState(watchlist: watchlist, sources: [.init(id: source, kind: "alpaca", priority: 1)], timeSource: time)
        let path = directory.appendingPathComponent("e2e.sqlite").path
        let (snapshotLatency, commitLatency) = (LatencyRecorder(), LatencyRecorder())
        let store = try SQLiteStore(path: path)
        let tape =
            options.tape
            ? TapeRecorder(
                store: store, batchSize: StoreConfiguration.defaults.batchSize,
                linger: StoreConfiguration.defaults.flushInterval, logger: logger) : nil
        let writer = StoreWriter(
            store: CommitTimingStore(store: store, latency: commitLatency), state: state,
            batchSize: 256, maxRowsPerWrite: StoreConfiguration.defaults.batchSize,
            // 250 ms, as these figures were first measured (and PostgreSQL's default; SQLite's is 1 s).
            flushInterval: .milliseconds(250), spillFor: path, logger: logger)
        let pipeline = IngestPipeline(
            state: state, sink: SnapshotTimingSink(writer: writer, latency: snapshotLatency),
            validator: Validator(configuration: TicktopConfiguration.defaults.validation, aroundTheClock: [source]),
            timeSource: time, tape: tape, logger: logger)
        let stream = LiveStreamService(
            provider: AlpacaStream(
                id: source, url: server.baseURL + "/v2/sip", credentials: ProviderCredentials(key: "PKBENCH", secret: "bench")),
            transport: HummingbirdWebSocketTransport(logger: logger), watched: state.watched, pipeline: pipeline,
            clock: ContinuousClock(), timeSource: time, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: Core(pipeline: pipeline, writer: writer)), .init(service: stream)], logger: logger))
        let running = Task { try await group.run() }

        guard let start = await sender.started(within: .seconds(30)) else {
            await group.triggerGracefulShutdown()
            await server.stop()
            throw Failure(description: "the stream did not subscribe within 30 s (run with TICKTOP_E2E_DEBUG=1 to see why)")
        }
        ProcessUsage.resetPeakMemory()
        let cpuBefore = ProcessUsage.cpuSeconds()
        var samples: [(seconds: Double, backlog: Int)] = []
        var tapeSamples: [(seconds: Double, backlog: Int)] = []
        let tapeBefore = tape?.statistics
        var phase = Phase(
            rate: rate, seconds: Double(options.seconds), snapshot: snapshotLatency.summary, commit: commitLatency.summary)
        for second in 1...options.seconds {
            try await Task.sleep(until: start + .seconds(second), clock: .continuous)
            let counts = await Counts(state)
            samples.append((Double(second), sender.sent - counts.handled))
            if let tape { tapeSamples.append((Double(second), tape.statistics.ticksWaiting)) }
        }
        let cpu = ProcessUsage.cpuSeconds() - cpuBefore
        let elapsed = (ContinuousClock.now - start).secondsValue
        sender.stop()
        phase.peakMemory = ProcessUsage.peakMemory()
        phase.cpuPercent = cpu / elapsed * 100
        phase.seconds = elapsed
        phase.snapshot = snapshotLatency.summary
        phase.commit = commitLatency.summary
        let counts = await Counts(state)
        phase.sent = sender.sent
        phase.handled = counts.handled
        phase.applied = counts.applied
        phase.coalesced = counts.coalesced
        phase.dropped = counts.dropped
        phase.quarantined = counts.quarantined
        phase.backlogEnd = phase.sent - phase.handled
        phase.backlogMax = samples.map(\.backlog).max() ?? 0
        phase.backlogSlope = slope(samples.filter { $0.seconds > min(2, Double(options.seconds) / 5) })
        if let tape, let tapeBefore {
            let now = tape.statistics
            phase.tape = TapeFigures(
                written: now.ticksWritten - tapeBefore.ticksWritten, lost: now.ticksLost - tapeBefore.ticksLost,
                waitingEnd: now.ticksWaiting, waitingMax: tapeSamples.map(\.backlog).max() ?? 0,
                waitingSlope: slope(tapeSamples.filter { $0.seconds > min(2, Double(options.seconds) / 5) }), seconds: elapsed)
        }

        // How long the core takes to catch up once the server stopped (at most 30 s).
        let stoppedAt = ContinuousClock.now
        while ContinuousClock.now - stoppedAt < .seconds(30) {
            if await Counts(state).handled >= phase.sent {
                phase.caughtUpSeconds = (ContinuousClock.now - stoppedAt).secondsValue
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await server.stop()
        return phase
    }

    /// The ingest pipeline and the store writer, run as the collector runs them (`IngestService`).
    struct Core: Service {
        let pipeline: IngestPipeline
        let writer: StoreWriter

        func run() async {
            await withDiscardingTaskGroup { group in
                group.addTask { await writer.run() }
                if let tape = pipeline.tape { group.addTask { await tape.run() } }
                await pipeline.run()
                pipeline.tape?.finish()
            }
        }
    }

    /// The state's counts of the stream's messages.
    struct Counts {
        var applied = 0
        var coalesced = 0
        var dropped = 0
        var quarantined = 0
        var handled: Int { applied + coalesced + dropped }

        /// Read without a snapshot: one holds the state for every symbol's row, which would
        /// delay the batches behind it and be measured as their latency.
        init(_ state: MarketState) async {
            let (health, quarantined) = await state.health(of: EndToEndBenchmark.source)
            applied = health?.messageCount ?? 0
            coalesced = health?.stream?.coalesced ?? 0
            dropped = health?.stream?.dropped ?? 0
            self.quarantined = quarantined
        }
    }

    /// Least-squares slope of the backlog over time, messages per second.
    static func slope(_ samples: [(seconds: Double, backlog: Int)]) -> Double {
        guard samples.count >= 2 else { return 0 }
        let n = Double(samples.count)
        let meanX = samples.map(\.seconds).reduce(0, +) / n
        let meanY = samples.map { Double($0.backlog) }.reduce(0, +) / n
        let covariance = samples.map { ($0.seconds - meanX) * (Double($0.backlog) - meanY) }.reduce(0, +)
        let variance = samples.map { ($0.seconds - meanX) * ($0.seconds - meanX) }.reduce(0, +)
        return variance > 0 ? covariance / variance : 0
    }

    // MARK: - Report

    static func describe(_ p: Phase) -> String {
        let rate = p.rate.map { "\($0.formatted()) msgs/s" } ?? "as fast as possible"
        let memory = p.peakMemory.map { String(format: "%.0f MB", Double($0) / 1_048_576) } ?? "unknown"
        let caughtUp =
            p.caughtUpSeconds.map { String(format: "caught up %.2f s after the server stopped", $0) }
            ?? "not caught up within 30 s"
        return """
            e2e at \(rate): \(p.sustained ? "SUSTAINED" : "NOT SUSTAINED") for \(String(format: "%.1f", p.seconds)) s
              sent      \(figure(p.sendRate))/s = \(ratio(p.sendRate, p.offered)) of the rate asked; handled \(figure(p.handledRate))/s = \(ratio(p.handledRate, p.sendRate)) of sent
              backlog   at the end \(p.backlogEnd.formatted()), most \(p.backlogMax.formatted()), trend \(String(format: "%+.0f", p.backlogSlope)) msgs/s = \(ratio(p.backlogSlope, p.offered)) of the rate (grows above 0.01x); \(caughtUp)
              snapshot  receipt to snapshot \(p.snapshot.text); p99 / 50 ms goal = \(ratio(p.snapshot.p99, goalSnapshotP99))
              commit    receipt to commit \(p.commit.text); commit p99 / snapshot p99 = \(ratio(p.commit.p99, p.snapshot.p99))
              counts    applied \(p.applied.formatted()), coalesced \(p.coalesced.formatted()) (\(ratio(Double(p.coalesced), Double(p.sent))) of sent), dropped \(p.dropped.formatted()), quarantined \(p.quarantined.formatted())
            \(tapeLine(p))  process   CPU \(String(format: "%.0f", p.cpuPercent))% of one core (\(ratio(p.cpuPercent, 200)) of the machine's 2 cores), peak RSS \(memory)
            """
    }

    /// The tape's line of `describe` (with its newline), empty without `--tape`.
    static func tapeLine(_ p: Phase) -> String {
        guard let t = p.tape else { return "" }
        let trend = String(format: "%+.0f", t.waitingSlope)
        return "  tape      wrote \(t.written.formatted()) ticks = \(figure(t.rate))/s = \(ratio(t.rate, p.sendRate)) of sent "
            + "(bars are not tape), lost \(t.lost.formatted()); waiting at the end \(t.waitingEnd.formatted()), "
            + "most \(t.waitingMax.formatted()), trend \(trend) ticks/s (grows above 0.01x of the rate)\n"
    }

    static func summary(_ phases: [Phase]) -> String {
        let sustained = phases.filter(\.sustained).max { $0.offered < $1.offered }
        guard let best = sustained else {
            return "e2e: no rate sustained; goal \(goalRate.formatted()) msgs/s with p99 receipt to snapshot under 50 ms"
        }
        return """
            e2e: highest rate sustained \(figure(best.offered)) msgs/s (\(best.label)) = \(ratio(best.offered, Double(goalRate))) of the \(goalRate.formatted()) msgs/s goal; \
            p99 receipt to snapshot there \(String(format: "%.2f", best.snapshot.p99)) ms = \(ratio(best.snapshot.p99, goalSnapshotP99)) of the 50 ms goal
            """
    }

    static func figure(_ value: Double) -> String { Int(value.rounded()).formatted() }
    static func ratio(_ value: Double, _ reference: Double) -> String {
        reference > 0 ? String(format: "%.2fx", value / reference) : "n/a"
    }
}

/// The loopback server's side: the Alpaca handshake, then frames at the rate (checked every
/// millisecond of a real clock: the messages due are sent as frames of `perFrame` at most), or
/// back to back when there is no rate, until `stop`.
final class Sender: Sendable {
    let rate: Int?
    let options: EndToEndBenchmark.Options
    private let sentCount = Atomic(0)
    private let stopping = Atomic(false)
    private let start = Mutex<
        (instant: ContinuousClock.Instant?, waiters: [CheckedContinuation<ContinuousClock.Instant?, Never>])
    >(
        (nil, []))

    init(rate: Int?, options: EndToEndBenchmark.Options) {
        self.rate = rate
        self.options = options
    }

    /// Data messages sent so far.
    var sent: Int { sentCount.load(ordering: .acquiring) }
    func stop() { stopping.store(true, ordering: .releasing) }

    /// When the first data frame went out, or nil when none did within `limit`.
    func started(within limit: Duration) async -> ContinuousClock.Instant? {
        await withTaskGroup(of: ContinuousClock.Instant?.self) { group in
            group.addTask { await self.started() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { self.resumeWaiters(at: nil) }  // the other child waits no longer
            group.cancelAll()
            return first
        }
    }

    /// When the first data frame went out (nil: given up waiting).
    private func started() async -> ContinuousClock.Instant? {
        await withCheckedContinuation { waiter in
            let now = start.withLock { start -> ContinuousClock.Instant? in
                if let instant = start.instant { return instant }
                start.waiters.append(waiter)
                return nil
            }
            if let now { waiter.resume(returning: now) }
        }
    }

    /// Records when sending began (unless `instant` is nil) and lets every waiter go.
    private func resumeWaiters(at instant: ContinuousClock.Instant?) {
        let waiters = start.withLock { start in
            if let instant { start.instant = instant }
            defer { start.waiters = [] }
            return start.waiters
        }
        for waiter in waiters { waiter.resume(returning: instant) }
    }

    func serve(_ peer: LoopbackWebSocketPeer) async throws {
        do { try await feed(peer) } catch {
            // Once the run asked the sender to stop, the client closing under a send is the end
            // of the run, not a failure worth a line.
            if !stopping.load(ordering: .acquiring) {
                FileHandle.standardError.write(Data("e2e: the loopback server stopped sending: \(error)\n".utf8))
            }
            throw error
        }
    }

    private func feed(_ peer: LoopbackWebSocketPeer) async throws {
        var feed = AlpacaFeed(symbolCount: options.symbols, seed: options.seed)
        try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
        _ = await peer.receive()  // auth
        try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
        _ = await peer.receive()  // subscribe
        let names = feed.symbols.map { "\"" + String(decoding: $0, as: UTF8.self) + "\"" }.joined(separator: ",")
        try await peer.send(
            #"[{"T":"subscription","trades":["# + names + #"],"quotes":["# + names + #"],"bars":["# + names + "]}]")
        let clock = ContinuousClock()
        let begin = clock.now
        resumeWaiters(at: begin)
        let time = SystemTimeSource()
        var sent = 0
        var tick = 0
        while !stopping.load(ordering: .acquiring) && !peer.isClosed {
            let due = rate.map { Int((clock.now - begin).secondsValue * Double($0)) } ?? sent + options.perFrame
            while sent < due {
                let count = min(options.perFrame, due - sent)
                try await peer.send(feed.frame(messages: count, at: time.now()))
                sent += count
                sentCount.store(sent, ordering: .releasing)
            }
            if rate != nil {
                tick = max(tick + 1, Int((clock.now - begin).secondsValue * 1_000))
                try await clock.sleep(until: begin + .milliseconds(tick))
            }
        }
        await peer.waitUntilClientCloses()
    }
}
