import Foundation

/// What `ticktop collect` answers on `/healthz`: healthy (200) while it collects and its store
/// accepts writes; unhealthy (503) with the reason while it drains after a signal, while store
/// writes fail, while a fleet member's rounds fail (for a renewal interval: `FleetStanding`), when
/// no source can run, or when every source that runs is down.
/// A source that is starting, rate-limited or degraded still counts as up: it will deliver.
public struct CollectorHealth: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case ok, unhealthy, draining
    }

    public var status: Status
    /// Why not healthy, in a few words; nil when healthy.
    public var reason: String?
    /// Each configured source's state, by source id.
    public var sources: [String: String]
    /// Rows kept until a write works again.
    public var rowsWaiting: Int
    /// Rows written since the start.
    public var rowsWritten: Int
    /// In a fleet: the symbols this collector holds leases on (absent outside a fleet).
    public var fleetSymbols: Int?

    public var isHealthy: Bool { status == .ok }

    /// The HTTP status `/healthz` answers with.
    public var httpStatus: Int { isHealthy ? 200 : 503 }

    /// Judges the snapshot (with the store writer's statistics attached, as `CollectorRuntime.snapshot()` gives it)
    /// and, for a fleet member, its `FleetCoordinator.standing` at the snapshot's time.
    public init(_ snapshot: MarketSnapshot, draining: Bool, fleet: FleetStanding? = nil) {
        let store = snapshot.store ?? StoreWriterStatistics()
        sources = Dictionary(snapshot.sources.map { ($0.source.rawValue, $0.state.rawValue) }, uniquingKeysWith: { $1 })
        rowsWaiting = store.rowsWaiting
        rowsWritten = store.rowsWritten
        fleetSymbols = fleet?.held
        let running = snapshot.sources.filter { $0.state != .disabled && $0.state != .noKey }
        if draining {
            (status, reason) = (.draining, "stopping after a signal: collection ended, pending writes are being flushed")
        } else if let problem = fleet?.problem(at: snapshot.takenAt) {
            // First: out of the fleet, a member collects nothing, whatever its writes do.
            (status, reason) = (.unhealthy, problem)
        } else if let since = store.failingSince {
            let cause = store.failureCause.map { " (\($0))" } ?? ""
            (status, reason) = (.unhealthy, "store writes fail since \(since.utcDateText) \(since.clockText) UTC\(cause)")
        } else if running.isEmpty {
            (status, reason) = (.unhealthy, "no configured source can run")
        } else if running.allSatisfy(\.state.isUnavailable) {
            let states = running.map { "\($0.source.rawValue) \($0.state.rawValue)" }.joined(separator: ", ")
            (status, reason) = (.unhealthy, "every source is down (\(states))")
        } else {
            (status, reason) = (.ok, nil)
        }
    }

    /// The one-line JSON body, keys sorted.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = (try? encoder.encode(self)) ?? Data(#"{"status":"\#(status.rawValue)"}"#.utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
