import Collector

/// The collector fleet in words, for the board's COLLECTORS panel and the `--once` report: a title,
/// one row per collector (id, `*` this process; host, version, heartbeat age, symbols held,
/// sources), and what to say when none is alive.
package enum FleetText {
    /// The live collectors first, then the dead and stopped ones, each in registry order.
    package static func ordered(_ fleet: FleetSnapshot, at now: Timestamp) -> [FleetMember] {
        fleet.alive(at: now) + fleet.members.filter { !$0.isAlive(at: now, ttl: fleet.leaseTTL) }
    }

    /// `COLLECTORS (2 alive, 1,204 symbols wanted)`
    package static func title(_ fleet: FleetSnapshot, at now: Timestamp) -> String {
        "COLLECTORS (\(fleet.alive(at: now).count) alive, \(DisplayFormat.count(fleet.wanted)) symbols wanted)"
    }

    /// One row per collector of `ordered`: heartbeat as an age, `dead 40s` or `stopped`.
    package static func table(_ fleet: FleetSnapshot, at now: Timestamp) -> TextTable {
        var table = TextTable(
            columns: [
                .init("COLLECTOR"), .init("HOST"), .init("VERSION"), .init("HEARTBEAT", .right), .init("SYMBOLS", .right),
                .init("SOURCES")
            ])
        for member in ordered(fleet, at: now) {
            let age = DisplayFormat.age(max(.zero, now - member.heartbeatAt))
            let heartbeat =
                member.stoppedAt != nil ? "stopped" : member.isAlive(at: now, ttl: fleet.leaseTTL) ? age : "dead \(age)"
            table.append(
                [
                    (member.id == fleet.own ? "*" : "") + member.id, member.host, member.version, heartbeat,
                    DisplayFormat.count(member.symbolCount), member.sources.map(\.label).joined(separator: ",")
                ])
        }
        return table
    }

    /// The lines under the table: nobody joined, or nobody is alive since the newest heartbeat.
    package static func notes(_ fleet: FleetSnapshot, at now: Timestamp) -> [String] {
        if fleet.members.isEmpty { return ["no collector has joined the fleet"] }
        if fleet.alive(at: now).isEmpty, let last = fleet.members.map(\.heartbeatAt).max() {
            return [notLive(since: last)]
        }
        return []
    }

    /// `no collector alive since 14:02:07 UTC: prices are not live`
    package static func notLive(since lastHeartbeat: Timestamp) -> String {
        "no collector alive since \(lastHeartbeat.clockText) UTC: prices are not live"
    }

    /// The `--once` report's part: title, table and notes.
    package static func lines(_ fleet: FleetSnapshot, at now: Timestamp) -> [String] {
        [title(fleet, at: now)] + (fleet.members.isEmpty ? [] : table(fleet, at: now).lines()) + notes(fleet, at: now)
    }
}
