import Collector
import CollectorTestSupport
import ProviderTestSupport
import Synchronization

/// A live stream (Alpaca's unless `provider` says otherwise) against a loopback WebSocket
/// server, with its pipeline and state on a manual clock: no jitter, so the backoff schedule
/// is exact, and the connect deadline on a clock of its own (`network`) that only a test moves.
/// The stream and the pipeline run in `ServiceRig`s (stopped when the test ends: its suite has the
/// `.stopsItsRigs` trait), and `stop()` shuts them down gracefully as the app does.
struct LiveStreamRig {
    static let key = "PKLIVEKEY0000777"
    static let secret = "liveSECRETvalue4242"
    let state: MarketState
    let pipeline: IngestPipeline
    let status = StreamStatus()
    let logs = LogCapture()
    let network = ManualClock()
    /// The client's side of the connections: how many were open at once.
    let transport: CountingWebSocketTransport
    let service: LiveStreamService
    private let stream: ServiceRig
    /// The pipeline's rig when it runs apart from the stream (`startingCore: false`).
    private let core = CoreRig()

    /// - Parameters:
    ///   - settings: adjusts the test settings (1 s to 30 s backoff, no jitter, `network` clock).
    ///   - startingCore: false leaves the pipeline stopped until `startCore()` (a held core).
    init(
        server: LoopbackWebSocketServer, watched: WatchedSymbols, watchlist: [Symbol], clock: ManualClock,
        sink: (any StoreSink)? = nil, pipelineCapacity: Int = 256, startingCore: Bool = true, tape: TapeRecorder? = nil,
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
        pipeline = IngestPipeline(
            state: state, sink: sink, timeSource: clock, capacity: pipelineCapacity, tape: tape, logger: .quiet())
        var settings = LiveStreamSettings(
            backoff: RetryBackoff(initial: .seconds(1), maximum: .seconds(30)), jitter: { $0 },
            connectTimeout: .seconds(15), connectClock: network)
        adjust(&settings)
        let logger = logs.logger()
        transport = CountingWebSocketTransport(HummingbirdWebSocketTransport(logger: logger))
        service = LiveStreamService(
            provider: provider, transport: transport, watched: watched,
            pipeline: pipeline, clock: clock, timeSource: clock, settings: settings, status: status, logger: logger)
        // The app's order: the pipeline first, so a graceful shutdown ends the stream before it.
        stream = ServiceRig((startingCore ? [("ingest", pipeline)] : []) + [("stream", service)])
    }

    /// Starts the pipeline of a rig made with `startingCore: false`.
    func startCore() {
        let rig = ServiceRig([("ingest", pipeline)])
        core.rig.withLock { $0 = rig }
    }

    /// Shuts the stream down gracefully (it closes its connection), then lets the pipeline drain and end.
    func stop() async {
        await stream.stop()
        await core.rig.withLock { $0 }?.stop()
    }

    /// The pipeline's rig, set once by `startCore`.
    private final class CoreRig: Sendable {
        let rig = Mutex<ServiceRig?>(nil)
    }
}
