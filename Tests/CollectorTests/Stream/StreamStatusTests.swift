import Collector
import CollectorTestSupport
import Testing

private let M = StreamMachineFixtures.self

/// `StreamStatus` derives whether a stream is up from the health facts the stream reports, the
/// same facts the `HealthBook` reduces: one account of the stream's liveness.
@Suite("Stream status")
struct StreamStatusTests {
    private static let down = HealthFact.streamFailed(
        "alpaca", judged: .down, pollerStandsIn: true, message: "closed", at: M.open)

    @Test func followsTheStreamsOwnReports() {
        let status = StreamStatus()
        status.follow([.streamed("alpaca", reconnects: 0, coalesced: 0, dropped: 0)])
        #expect(!status.isConnected, "a counter says nothing about the connection")
        status.follow([
            .connected("alpaca", detail: "streaming from wss://example"),
            .streamed("alpaca", reconnects: 0, coalesced: 0, dropped: 0)
        ])
        #expect(status.isConnected && status.dropped == 0)
        status.follow([.streamTrouble("alpaca", message: "Alpaca stream error 400", degrades: true)])
        #expect(status.isConnected, "trouble the connection is kept through")
        status.follow([Self.down])
        #expect(!status.isConnected && status.dropped == 1)
        status.follow([Self.down])
        #expect(status.dropped == 1, "a failed dial after a drop is no second drop")
        status.follow([.probing("alpaca")])
        #expect(status.isConnected, "the probe after a pause is a live connection")
    }

    /// The stand-in poller waits in `untilDropped`: the failure the stream reports wakes it.
    @Test func theReportedEndWakesTheStandInPoller() async throws {
        let status = StreamStatus()
        status.follow([.connected("alpaca", detail: nil)])
        try await withSafetyLimit {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await status.untilDropped(past: 0) }
                status.follow([Self.down])
                await group.waitForAll()
            }
        }
        #expect(status.dropped == 1)
    }
}
