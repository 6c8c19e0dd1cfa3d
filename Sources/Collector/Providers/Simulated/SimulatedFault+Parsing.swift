extension SimulatedFault {
    /// Parses a fault from the CLI or configuration: `spike:AAPL`, `spike:AAPL:10`,
    /// `crossed:MSFT`, `stall:BTC-USD`, `stall:BTC-USD:30s`, `gap:AAPL`, `gap:AAPL:5`,
    /// `badbar:AAPL`, `outage:30s`, `offset:AAPL:2%`. The kind is case-insensitive;
    /// a spike defaults to 10x, a gap to one minute and an offset to 2%.
    public init(parsing text: String) throws(SimulatedFaultError) {
        let parts = text.trimmingBlanks().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func fail(_ reason: String) -> SimulatedFaultError { SimulatedFaultError(input: text, reason: reason) }
        guard let kind = parts.first?.lowercased(), !kind.isEmpty else { throw fail("it is empty") }

        func symbol() throws(SimulatedFaultError) -> Symbol {
            guard parts.count >= 2, !parts[1].isEmpty else { throw fail("'\(kind)' needs a symbol") }
            do {
                return try Symbol(parts[1])
            } catch {
                throw fail("the symbol '\(parts[1])' is invalid (\(error.reason))")
            }
        }
        func argument(max count: Int) throws(SimulatedFaultError) -> String? {
            guard parts.count <= count else {
                throw fail("'\(kind)' takes at most \(count - 1) argument\(count == 2 ? "" : "s") after the colon")
            }
            return parts.count == count ? parts[count - 1] : nil
        }

        switch kind {
        case "spike":
            let target = try symbol()
            let factor = try argument(max: 3).map { text throws(SimulatedFaultError) -> Double in
                guard let value = Double(text), value.isFinite, value > 0, value != 1 else {
                    throw fail("the factor '\(text)' is not a positive number other than 1")
                }
                return value
            }
            self = .spike(target, factor: factor ?? 10)
        case "crossed":
            let target = try symbol()
            _ = try argument(max: 2)
            self = .crossedQuote(target)
        case "stall":
            let target = try symbol()
            let duration = try argument(max: 3).map { text throws(SimulatedFaultError) in
                try Self.parseDuration(text, fail: fail)
            }
            self = .stall(target, duration)
        case "gap":
            let target = try symbol()
            let minutes = try argument(max: 3).map { text throws(SimulatedFaultError) -> Int in
                guard let value = Int(text), value > 0 else {
                    throw fail("the minute count '\(text)' is not a positive whole number")
                }
                return value
            }
            self = .barGap(target, minutes: minutes ?? 1)
        case "badbar":
            let target = try symbol()
            _ = try argument(max: 2)
            self = .badBar(target)
        case "offset":
            let target = try symbol()
            let percent = try argument(max: 3).map { text throws(SimulatedFaultError) -> Double in
                let number = text.hasSuffix("%") ? String(text.dropLast()) : text
                guard let value = Double(number), value.isFinite, value != 0, value > -100, value <= 1000 else {
                    throw fail("the offset '\(text)' is not a percentage like 2% or -1.5%")
                }
                return value
            }
            self = .offset(target, percent: percent ?? 2)
        case "outage":
            guard let text = try argument(max: 2), !text.isEmpty else { throw fail("'outage' needs a duration") }
            self = .outage(try Self.parseDuration(text, fail: fail))
        default:
            throw fail("the kind '\(parts[0])' is unknown")
        }
    }

    /// Parses `500ms`, `30s`, `5m`, `1h`, `1d` (a bare number means seconds), as the configuration does.
    static func parseDuration(
        _ text: String, fail: (String) -> SimulatedFaultError
    ) throws(SimulatedFaultError) -> Duration {
        guard let duration = DurationParser.parse(text) else {
            let problem = DurationParser.problem(with: text)
            throw fail(
                problem.hasPrefix("expected")
                    ? "the duration '\(text)' is not a positive whole number with a unit (ms, s, m, h, d)"
                    : "the duration \(problem)")
        }
        guard duration > .zero else { throw fail("the duration '\(text)' must be longer than zero") }
        return duration
    }
}
