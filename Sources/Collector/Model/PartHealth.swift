/// A part of a source that fails apart from the rest of it (a market or an endpoint: Alpaca's
/// crypto API while its stock API serves), with its own state, its reason and the symbols it
/// serves. Only failing parts are kept: a part that answers again is dropped.
public struct PartHealth: Sendable, Hashable, Codable {
    /// The part's name as shown (`crypto`, `stocks`).
    public var name: String
    /// `degraded` after one failure, then `down`, `format-changed`, `circuit-open`, ...
    public var state: HealthState
    /// Why, without secrets.
    public var detail: String
    /// The symbols this part serves (their quotes from this source are not used while it is unavailable).
    public var symbols: [Symbol]
    public var since: Timestamp

    package init(name: String, state: HealthState, detail: String, symbols: [Symbol], since: Timestamp) {
        self.name = name
        self.state = state
        self.detail = detail
        self.symbols = symbols
        self.since = since
    }

    /// `crypto circuit-open: HTTP 404 ...`, as one clause of a source's detail.
    package var clause: String { "\(name) \(state.rawValue): \(detail)" }

    /// How bad a part's state is, to pick the worst when every part fails.
    var severity: Int {
        switch state {
        case .circuitOpen: 5
        case .down, .formatChanged: 4
        case .rateLimited: 3
        case .halfOpen: 2
        default: 1
        }
    }
}
