import Collector
import CollectorTestSupport
import Testing

@Suite("StoreBatch slicing")
struct StoreBatchSlicingTests {
    @Test(arguments: [1, 3, 7, 1000])
    func slicesKeepEveryRowInOrder(_ maxRows: Int) {
        let bars = MarketFixtures.minuteBars(count: 10)
        let batch = StoreBatch(quotes: [MarketFixtures.quote()], bars: bars, anomalies: [])
        let slices = batch.sliced(maxRows: maxRows)
        #expect(slices.allSatisfy { $0.count <= maxRows && !$0.isEmpty })
        #expect(slices.flatMap(\.bars) == bars)
        #expect(slices.flatMap(\.quotes).count == 1)
        #expect(slices.count == (11 + maxRows - 1) / maxRows)
    }
}
