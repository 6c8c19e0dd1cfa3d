/// A fault the simulated market injects on request, for tests and demos.
///
/// One-shot faults (`spike`, `crossedQuote`, `badBar`) hit the next matching
/// value of the symbol; `barGap` drops the next minute bars; `stall` and
/// `outage` last for a duration (a stall without one lasts until cleared);
/// `offset` lasts until cleared.
public enum SimulatedFault: Sendable, Hashable, CustomStringConvertible {
    /// The symbol's next value (quote, trade or bar) has its prices multiplied by `factor`.
    case spike(Symbol, factor: Double)
    /// The symbol's next quote has its bid above its ask.
    case crossedQuote(Symbol)
    /// The symbol produces nothing for the duration, or until the faults are cleared.
    case stall(Symbol, Duration?)
    /// The symbol's next `minutes` minute bars are not emitted.
    case barGap(Symbol, minutes: Int)
    /// The symbol's next minute bar has its high below its low.
    case badBar(Symbol)
    /// The whole source is down for the duration: streams and requests fail.
    case outage(Duration)
    /// From now on the symbol's quotes and trades are `percent` off the true
    /// price (until cleared): a source that disagrees with the others.
    case offset(Symbol, percent: Double)

    /// The symbol the fault targets; `nil` for a whole-source outage.
    package var symbol: Symbol? {
        switch self {
        case .spike(let symbol, _), .crossedQuote(let symbol), .stall(let symbol, _),
            .barGap(let symbol, _), .badBar(let symbol), .offset(let symbol, _):
            symbol
        case .outage: nil
        }
    }

    /// A short label for display, e.g. `spike AAPL x10`, `outage 30s`.
    public var description: String {
        switch self {
        case .spike(let symbol, let factor): "spike \(symbol) x\(Self.format(factor))"
        case .crossedQuote(let symbol): "crossed quote \(symbol)"
        case .stall(let symbol, let duration):
            "stall \(symbol) \(duration.map(Self.format) ?? "until cleared")"
        case .barGap(let symbol, let minutes): "gap \(symbol) \(minutes) min"
        case .badBar(let symbol): "bad bar \(symbol)"
        case .outage(let duration): "outage \(Self.format(duration))"
        case .offset(let symbol, let percent): "offset \(symbol) \(percent > 0 ? "+" : "")\(Self.format(percent))%"
        }
    }

    /// A number without a needless `.0`.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A duration in the largest whole unit among h, m, s and ms.
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.nanosecondsValue / 1_000_000
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)]
        where milliseconds >= size && milliseconds % size == 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}
