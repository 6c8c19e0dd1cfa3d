import Collector
import CollectorTestSupport
import ProviderTestSupport

/// A live stream (Alpaca's unless `provider` says otherwise) against a loopback WebSocket
/// server, with its pipeline and state on a manual clock: no jitter, so the backoff schedule
/// is exact, and the connect deadline on a clock of its own (`network`) that only a test moves.
struct LiveStreamRig {
    static let key = "PKLIVEKEY0000777"
    static let secret = "liveSECRETvalue4242"
    let state: MarketState
    let pipeline: IngestPipeline
    let status = StreamStatus()
    let logs = LogCapture()
    let network = ManualClock()
    let service: LiveStreamService
    private let tasks: Tasks

    /// - Parameters:
    ///   - settings: adjusts the test settings (1 s to 30 s backoff, no jitter, `network` clock).
    ///   - startingCore: false leaves the pipeline stopped until `startCore()` (a held core).
    init(
        server: LoopbackWebSocketServer, watched: WatchedSymbols, watchlist: [Symbol], clock: ManualClock,
        sink: (any StoreSink)? = nil, pipelineCapacity: Int = 256, startingCore: Bool = true,
        settings adjust: (inout LiveStreamSettings) -> Void = { _ in },
        provider: ((String) -> any StreamProvider)? = nil
    ) {
        let provider =
            provider?(server.baseURL)
            ?? AlpacaStream(
                id: "alpaca", url: server.baseURL + "/v2/test",
                credentials: ProviderCredentials(key: Self.key, secret: Self.secret))
        state = MarketState(
            watchlist: watchlist, sources: [.init(id: provider.id, kind: "stream", priority: 1)], timeSource: clock)
        pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, capacity: pipelineCapacity, logger: .quiet())
        var settings = LiveStreamSettings(
            backoff: RetryBackoff(initial: .seconds(1), maximum: .seconds(30)), jitter: { $0 },
            connectTimeout: .seconds(15), connectClock: network)
        adjust(&settings)
        let logger = logs.logger()
        service = LiveStreamService(
            provider: provider, transport: HummingbirdWebSocketTransport(logger: logger), watched: watched,
            pipeline: pipeline, clock: clock, timeSource: clock, settings: settings, status: status, logger: logger)
        tasks = Tasks()
        let (service, pipeline) = (service, pipeline)
        tasks.stream = Task { await service.run() }
        if startingCore { tasks.core = Task { await pipeline.run() } }
    }

    /// Starts the pipeline of a rig made with `startingCore: false`.
    func startCore() {
        let pipeline = pipeline
        tasks.core = Task { await pipeline.run() }
    }

    /// Stops the stream, then lets the pipeline drain and end.
    func stop() async {
        tasks.stream?.cancel()
        await tasks.stream?.value
        pipeline.finish()
        await tasks.core?.value
    }

    /// The rig's running tasks (set once each, from the test's task).
    private final class Tasks: @unchecked Sendable {
        var stream: Task<Void, Never>?
        var core: Task<Void, Never>?
    }
}
