import CollectorTestSupport
import MonitorUI
import Testing

/// `DisplayFormat.fixed` writes the numbers a board shows in integer arithmetic: it must write
/// what C's printf writes (correctly rounded from the exact binary value, ties to even).
@Suite("Display format: fixed decimals")
struct DisplayFormatFixedTests {
    @Test(arguments: [
        (0.125, 2, "0.12"), (0.375, 2, "0.38"), (2.5, 0, "2"), (3.5, 0, "4"), (2.675, 2, "2.67"), (1.005, 2, "1.00"),
        (-0.001, 2, "0.00"), (-0.0, 2, "0.00"), (0, 0, "0"), (-1.5, 0, "-2"), (189.4234, 2, "189.42"),
        (0.00451234, 6, "0.004512"), (9_007_199_254_740_991, 0, "9007199254740991"), (Double.leastNonzeroMagnitude, 12, "0.000000000000")
    ])
    func knownValues(_ value: Double, _ digits: Int, _ expected: String) {
        #expect(DisplayFormat.exactFixed(value, digits) == expected)
        #expect(DisplayFormat.fixed(value, digits) == expected)
    }

    /// Seeded values over every magnitude a board shows and beyond, exact ties among them.
    @Test func writesWhatPrintfWrites() {
        var random = SplitMix64(seed: 42)
        var wrong: [String] = []
        var exact = 0
        for round in 0..<200_000 {
            let digits = random.below(13)
            let value: Double
            switch round % 4 {
            case 0:  // any magnitude from 1e-16 to 1e19
                value = Double(sign: random.below(2) == 0 ? .plus : .minus, exponent: random.below(120) - 54, significand: 1 + random.uniform())
            case 1:  // a tie or nearly one at the last digit shown
                let scale = (0..<digits).reduce(1.0) { power, _ in power * 10 }
                value = (Double(random.below(2_000_000)) + 0.5) / scale + Double(random.below(3) - 1) * 0x1p-40
            case 2:  // binary fractions: exact ties at many digits
                value = Double(random.below(1 << 20)) / Double(1 << random.below(30))
            default:  // prices with cents as typed
                value = Double(random.below(10_000_000)) / 100
            }
            guard let fast = DisplayFormat.exactFixed(value, digits) else { continue }
            exact += 1
            let printf = DisplayFormat.printfFixed(value, digits)
            if fast != printf { wrong.append("\(value) with \(digits): \(fast), printf \(printf)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) differ, first: \(wrong.prefix(5))")
        #expect(exact > 150_000, "most values take the integer path")
    }

    @Test func largeValuesGoToPrintf() {
        #expect(DisplayFormat.exactFixed(0x1p53, 2) == nil)
        #expect(DisplayFormat.exactFixed(1e15, 12) == nil)
        #expect(DisplayFormat.fixed(1e20, 2) == "100000000000000000000.00")
    }
}
