import Collector

/// The tape as text for `ticktop history SYMBOL --ticks`: one row per trade or quote as received,
/// its exchange time to the nanosecond, its numbers exactly as the provider sent them (not
/// rounded for display), and how long after its exchange time it arrived.
package struct TapeTable: Sendable {
    package var symbol: Symbol
    package var ticks: [Tick]

    package init(symbol: Symbol, ticks: [Tick]) {
        self.symbol = symbol
        self.ticks = ticks
    }

    package func lines() -> [String] {
        guard !ticks.isEmpty else {
            return ["no recorded ticks for \(symbol) in that range (the tape records with [store] ticks = true)"]
        }
        var table = TextTable(columns: [
            .init("TIME"), .init("SRC"), .init("TYPE"), .init("BID", .right), .init("BID SIZE", .right), .init("ASK", .right),
            .init("ASK SIZE", .right), .init("PRICE", .right), .init("SIZE", .right), .init("DELAY", .right)
        ])
        for tick in ticks {
            table.append([
                DatabaseExport.instant(tick.exchangeTime.nanoseconds), tick.source.label, tick.kind.name, Self.exact(tick.bid),
                Self.exact(tick.bidSize), Self.exact(tick.ask), Self.exact(tick.askSize), Self.exact(tick.price),
                Self.exact(tick.size), Self.delay(tick.receivedAt - tick.exchangeTime)
            ])
        }
        return table.lines()
    }

    /// The shortest text that reads back as the same number; `-` when absent.
    static func exact(_ value: Double?) -> String { value.map { "\($0)" } ?? "-" }

    /// `12.345ms`: the feed delay to the microsecond (negative when the clocks disagree).
    static func delay(_ duration: Duration) -> String {
        let micros = duration.nanosecondsValue / 1000
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)ms"
    }
}
