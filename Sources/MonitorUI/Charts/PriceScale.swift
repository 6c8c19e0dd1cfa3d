/// Maps prices to rows and sub-row units of a plot `rows` high: the visible
/// bars' range padded a little (a flat range is widened around its price so it
/// sits mid-plot).
struct PriceScale {
    /// The lowest and highest price among the visible bars.
    let dataLow: Double, dataHigh: Double
    /// The padded range the plot spans, bottom edge to top edge.
    let low: Double, high: Double
    let rows: Int

    init(dataLow: Double, dataHigh: Double, rows: Int) {
        self.dataLow = dataLow
        self.dataHigh = dataHigh
        self.rows = max(1, rows)
        let span = dataHigh - dataLow
        let pad: Double
        if span > 0, span.isFinite {
            pad = span * 0.02
        } else {
            pad = max(abs(dataHigh) * 0.01, 0.000_001)
        }
        low = dataLow - pad
        high = dataHigh + pad
    }

    /// Where `price` sits between the bottom (0) and top (1) edges, clamped; 0 if it can't be placed.
    func fraction(_ price: Double) -> Double {
        let value = (price - low) / (high - low)
        guard value.isFinite else { return 0 }
        return min(max(value, 0), 1)
    }

    /// The sub-row unit holding `price` when each row has `perRow` units, counted from the bottom.
    func unit(_ price: Double, perRow: Int) -> Int {
        let units = rows * perRow
        return min(Int(fraction(price) * Double(units)), units - 1)
    }

    /// The row holding `price`, counted from the top.
    func row(_ price: Double) -> Int {
        rows - 1 - unit(price, perRow: 1)
    }

    /// The price at the middle of `row` (counted from the top).
    func price(atRow row: Int) -> Double {
        low + (high - low) * (Double(rows - 1 - row) + 0.5) / Double(rows)
    }

    /// Axis labels as (row, price): the data maximum and minimum on their rows and
    /// one or two row-centre prices between them when there is room.
    func labels() -> [(row: Int, price: Double)] {
        let top = row(dataHigh)
        let bottom = row(dataLow)
        guard bottom > top else { return [(top, dataHigh)] }
        let gap = bottom - top
        let middle: [Int] = gap >= 6 ? [top + gap / 3, top + 2 * gap / 3] : gap >= 3 ? [top + gap / 2] : []
        return [(top, dataHigh)] + middle.map { ($0, price(atRow: $0)) } + [(bottom, dataLow)]
    }
}
