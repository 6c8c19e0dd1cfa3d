import CollectorTestSupport
import NIOCore
import Testing

@testable import Collector

@Suite("PostgreSQL COPY text")
struct PostgresCopyTextTests {
    /// Integers are written digit by digit: exactly `String(value)`, at both ends of Int64 and for
    /// nanosecond times; a row is tab-separated, `\N` for NULL, ended by a newline (seeded).
    @Test func integersAreWrittenAsTheirDecimalText() {
        var random = SplitMix64(seed: 7)
        let values: [Int64] =
            [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.min + 1, 1_709_913_600_000_000_000]
            + (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0...62, using: &random) }
        for value in values {
            var row = PostgresCopyText()
            row.integer(value)
            row.integer(nil)
            row.endRow()
            #expect(String(buffer: row.buffer) == "\(value)\t\\N\n")
        }
    }
}
