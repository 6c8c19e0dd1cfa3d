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

    /// Every double reads back bit for bit (as the server parses it, like `Double(String)`):
    /// short decimals as providers send them, messy sums, tiny, huge and negative values (seeded).
    @Test func doublesReadBackExactly() {
        var random = SplitMix64(seed: 11)
        var values: [Double] = [
            0, 1, -1, 0.1, 0.3, 187.23, -0.0001, 1e15, 1e16, 9_007_199_254_740_992, 1e-7, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude,
        ]
        for _ in 0..<20_000 {
            let ticks = Int64.random(in: -10_000_000_000...10_000_000_000, using: &random)
            let scale = [1.0, 100, 10_000, 100_000_000][Int.random(in: 0...3, using: &random)]
            values.append(Double(ticks) / scale)
            values.append(100 + Double(ticks) / 10_000 + 0.01)
            values.append(Double(bitPattern: random.next()))
        }
        for value in values where value.isFinite {
            var row = PostgresCopyText()
            row.number(value)
            let text = String(buffer: row.buffer)
            #expect(Double(text)?.bitPattern == value.bitPattern, "\(value) written as \(text)")
        }
    }

    /// Prices and sizes are written as the short decimals they are, never in exponent form.
    @Test func shortDecimalsAreWrittenDigitByDigit() {
        let cases: [(Double, String)] = [
            (187.23, "187.23"), (-0.0001, "-0.0001"), (100, "100"), (0, "0"), (0.05, "0.05"),
            (1_234_567.891, "1234567.891"), (-42.5, "-42.5"),
        ]
        for (value, expected) in cases {
            var row = PostgresCopyText()
            row.number(value)
            #expect(String(buffer: row.buffer) == expected)
        }
        #expect(PostgresCopyText.exactDecimal(-0.0) == nil)
        #expect(PostgresCopyText.exactDecimal(0.1 + 0.2) == nil)  // 0.30000000000000004: no short decimal names it
    }

    /// Rows are handed out in chunks of at least `chunkBytes`, and the last with `all`: together
    /// exactly the rows written, in order.
    @Test func chunksCarryEveryRowOnce() {
        var text = PostgresCopyText()
        var sent = ""
        var expected = ""
        for index in 0..<5_000 {
            text.integer(Int64(index))
            text.text("row \(index)")
            text.endRow()
            expected += "\(index)\trow \(index)\n"
            if let chunk = text.takeChunk() {
                #expect(chunk.readableBytes >= PostgresCopyText.chunkBytes)
                sent += String(buffer: chunk)
            }
        }
        #expect(sent.count < expected.count)
        if let last = text.takeChunk(all: true) { sent += String(buffer: last) }
        #expect(sent == expected)
        #expect(text.takeChunk(all: true) == nil)
    }
}
