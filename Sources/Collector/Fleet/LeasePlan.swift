/// Who holds each symbol the fleet wants: the pure decision behind the fleet's leases, kept apart
/// from the SQL that applies it (`PostgresStore+Fleet.swift`) so that it is tested as a table.
///
/// The split is fair (every live collector holds `n / m` symbols, some one more) and moves as few
/// symbols as possible: a symbol stays with its live holder unless that holder has more than its
/// share; the extra symbols of an uneven split go to the collectors already holding the most.
/// Symbols of dead or leaving collectors, new symbols and a holder's surplus go, in symbol order,
/// to the collectors below their share, in id order. A draining collector (shutting down, about
/// to leave) keeps what it holds until it leaves but is given nothing new. The same inputs always
/// give the same plan, and a plan fed back in is kept unchanged.
package enum LeasePlan {
    /// - Parameters:
    ///   - members: the live collectors' ids that may be given symbols.
    ///   - wanted: the symbols the fleet collects.
    ///   - current: each symbol's holder now (an expired lease is no holder); holders that are
    ///     neither members nor draining are dead or leaving.
    ///   - draining: live collectors that are shutting down: they keep their symbols, get no more.
    /// - Returns: the holder of every wanted symbol; empty when no collector is alive.
    package static func assign(
        members: Set<String>, wanted: Set<Symbol>, current: [Symbol: String], draining: Set<String> = []
    ) -> [Symbol: String] {
        var kept: [Symbol: String] = [:]
        for symbol in wanted {
            if let holder = current[symbol], draining.contains(holder), !members.contains(holder) { kept[symbol] = holder }
        }
        return split(members: members, wanted: wanted.subtracting(kept.keys), current: current)
            .merging(kept) { planned, _ in planned }
    }

    /// The fair split of `wanted` between `members` (see the type's description).
    private static func split(members: Set<String>, wanted: Set<Symbol>, current: [Symbol: String]) -> [Symbol: String] {
        guard !members.isEmpty, !wanted.isEmpty else { return [:] }
        let ordered = wanted.sorted()
        var held: [String: [Symbol]] = [:]
        for symbol in ordered {
            if let holder = current[symbol], members.contains(holder) { held[holder, default: []].append(symbol) }
        }
        let ids = members.sorted()
        let base = ordered.count / ids.count
        let extra = ordered.count % ids.count
        // The larger shares go to the biggest holders (ties by id): the most symbols stay put.
        let bySize = ids.sorted { left, right in
            let (l, r) = (held[left]?.count ?? 0, held[right]?.count ?? 0)
            return l != r ? l > r : left < right
        }
        var share: [String: Int] = [:]
        for (rank, id) in bySize.enumerated() { share[id] = base + (rank < extra ? 1 : 0) }
        var plan: [Symbol: String] = [:]
        var count: [String: Int] = [:]
        for id in ids {
            for symbol in (held[id] ?? []).prefix(share[id] ?? 0) { plan[symbol] = id }
            count[id] = min(held[id]?.count ?? 0, share[id] ?? 0)
        }
        var free = ordered.filter { plan[$0] == nil }[...]
        for id in ids {
            while count[id, default: 0] < share[id, default: 0], let symbol = free.popFirst() {
                plan[symbol] = id
                count[id, default: 0] += 1
            }
        }
        return plan
    }
}
