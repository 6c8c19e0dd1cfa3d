import Foundation

/// One collector of the fleet as the store's registry knows it (`fleet_collectors`).
public struct FleetMember: Sendable, Hashable {
    /// Unique per process (`host:pid:start`, or what `ticktop collect` is given).
    public var id: String
    public var host: String
    public var pid: Int
    /// The ticktop version it runs.
    public var version: String
    public var startedAt: Timestamp
    /// Its last heartbeat; older than the lease TTL: it is dead.
    public var heartbeatAt: Timestamp
    /// When it drained and left the fleet (graceful stop), if it did.
    public var stoppedAt: Timestamp?
    /// The sources it collects from.
    public var sources: [SourceID]
    /// Its configured watchlist: symbols it asks the fleet to collect.
    public var watchlist: [Symbol]
    /// The symbols it holds leases on now.
    public var symbolCount: Int

    package init(
        id: String, host: String, pid: Int, version: String, startedAt: Timestamp, heartbeatAt: Timestamp,
        stoppedAt: Timestamp? = nil, sources: [SourceID] = [], watchlist: [Symbol] = [], symbolCount: Int = 0
    ) {
        self.id = id
        self.host = host
        self.pid = pid
        self.version = version
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.stoppedAt = stoppedAt
        self.sources = sources
        self.watchlist = watchlist
        self.symbolCount = symbolCount
    }

    /// Alive at `now`: not stopped, and its heartbeat is younger than `ttl`.
    public func isAlive(at now: Timestamp, ttl: Duration) -> Bool {
        stoppedAt == nil && heartbeatAt > now - ttl
    }
}

/// Who a collector is in the fleet's registry: `CollectorRuntime(fleet:)` turns the fleet on.
public struct FleetIdentity: Sendable, Hashable {
    /// Unique in the fleet: `host:pid` for `thisProcess`.
    public var id: String
    public var host: String
    public var pid: Int
    public var version: String

    public init(id: String, host: String, pid: Int, version: String) {
        self.id = id
        self.host = host
        self.pid = pid
        self.version = version
    }

    /// This process: the host name and process id, `host:pid` as id.
    public static func thisProcess(version: String) -> FleetIdentity {
        let host = ProcessInfo.processInfo.hostName
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        return FleetIdentity(id: "\(host):\(pid)", host: host, pid: pid, version: version)
    }
}
