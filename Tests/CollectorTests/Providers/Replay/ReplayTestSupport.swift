import Collector
import CollectorTestSupport
import Foundation

/// Builders for replay tests: fixture paths, generated files and sources on a manual clock.
enum ReplayFixtures {
    static let aapl = MarketFixtures.symbol("AAPL")
    static let msft = MarketFixtures.symbol("MSFT")
    static let ibm = MarketFixtures.symbol("IBM")
    static let id = SourceID("rp")

    /// 2024-03-01T14:30:00Z.
    static let open = Timestamp(seconds: 1_709_303_400)

    static func path(_ name: String) -> String {
        Fixture.root.appendingPathComponent("replay").appendingPathComponent(name).path
    }

    static func configuration(_ path: String, speed: Double = 1, loop: Bool = false) -> SourceConfiguration {
        var configuration = SourceConfiguration(id: id, kind: .replay, replayPath: path)
        configuration.replaySpeed = speed
        configuration.replayLoop = loop
        return configuration
    }

    static func source(
        _ path: String, speed: Double = 1, loop: Bool = false, clock: ManualClock = ManualClock(),
        maximumGap: Duration = ReplaySource.defaultMaximumGap
    ) throws -> ReplaySource {
        try ReplaySource(
            configuration: configuration(path, speed: speed, loop: loop), clock: clock, timeSource: clock,
            maximumGap: maximumGap)
    }

    /// Writes `text` to `name` in `directory` and returns its path.
    @discardableResult
    static func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The quote CSV header and rows `symbol,time,bid` (ask = bid + 0.1, sizes 1).
    static func quoteFile(_ rows: [(String, String, Double)]) -> String {
        (["symbol,time,bid,bid_size,ask,ask_size"] + rows.map { "\($0.0),\($0.1),\($0.2),1,\($0.2 + 0.1),1" })
            .joined(separator: "\n")
    }

    static func quotes(_ events: [MarketEvent]) -> [Quote] {
        events.compactMap { if case .quote(let q) = $0 { q } else { nil } }
    }

    static func trades(_ events: [MarketEvent]) -> [Trade] {
        events.compactMap { if case .trade(let t) = $0 { t } else { nil } }
    }

    static func bars(_ events: [MarketEvent]) -> [Bar] {
        events.compactMap { if case .bar(let b) = $0 { b } else { nil } }
    }
}

extension Timestamp {
    /// Test shorthand: parses RFC 3339 or crashes the test with the text.
    static func at(_ text: String) -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else { fatalError("bad test time \(text)") }
        return time
    }
}
