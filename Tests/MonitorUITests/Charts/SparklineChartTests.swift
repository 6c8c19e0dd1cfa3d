import Foundation
import MonitorUI
import Testing

@Suite("Chart: sparkline")
struct SparklineChartTests {
    @Test(
        arguments: [
            ([1, 2, 3, 4, 5, 6, 7, 8], 8, "▁▂▃▄▅▆▇█"),  // rising
            ([8, 7, 6, 5, 4, 3, 2, 1], 8, "█▇▆▅▄▃▂▁"),  // falling
            ([5, 5, 5], 3, "▄▄▄"),  // flat draws the middle level
            ([], 4, "    "),  // empty
            ([1, 8], 4, "  ▁█"),  // fewer than width: blank-padded on the left
            ((1...16).map(Double.init), 8, "▁▂▃▄▅▆▇█"),  // more than width: bucket means
            ([1, .nan, 8, .infinity, -.infinity], 2, "▁█"),  // non-finite values skipped
            ([.nan], 3, "   "),
            ([1, 2, 3], 0, ""),
            ([3], 2, " ▄")
        ] as [([Double], Int, String)])
    func render(_ values: [Double], _ width: Int, _ expected: String) {
        let line = Sparkline.render(values, width: width)
        #expect(line == expected)
        #expect(line.count == max(0, width))
    }

    @Test func manyValuesAlwaysGiveTheWidth() {
        let values = (0..<1_000).map { sin(Double($0) / 7) }
        for width in [1, 7, 13, 99, 1_000, 1_500] {
            #expect(Sparkline.render(values, width: width).count == width)
        }
    }

    @Test(
        arguments: [
            ([1, 2, 3], 1), ([3, 2, 1], -1), ([2, 5, 2], 0), ([], 0), ([.nan, 1, 4, .nan], 1), ([.nan], 0)
        ] as [([Double], Int)])
    func direction(_ values: [Double], _ expected: Int) {
        #expect(Sparkline.direction(of: values) == expected)
    }
}
