import Synchronization

/// The leases this process holds, as its `FleetCoordinator` last read them: the tokens every
/// write of its PostgreSQL store carries (fencing).
///
/// A collector that was paused (SIGSTOP, a long stall) may still believe it holds leases the
/// fleet gave to others meanwhile. Its store checks, in the transaction of each write, that every
/// bar and quote is for a symbol whose lease row names this holder with the same token; rows that
/// fail the check are dropped, counted (`StoreWriteResult.rowsFenced`) and logged. The token of a
/// symbol changes whenever its holder does and only ever grows, so a lost lease never matches again.
/// With no holder set (a terminal, a collector outside a fleet) writes are not checked.
///
/// A fenced row is either a straggler (its symbol was handed over or released by this collector,
/// or is being handed over, `Held.givingUp`: its successor collects it, harmless) or a loss
/// (`StoreWriteResult.rowsOfLostLeases`): its symbol is one this collector still believes it holds,
/// or one it held and another collector took (`Held.lost`: its lease lapsed, say through a store
/// outage). A loss is a row it collected and
/// could not store, and makes `ticktop collect` exit 1.
package final class LeaseFence: Sendable {
    /// The holder and the token of each symbol it holds.
    package struct Held: Sendable, Hashable {
        package var holder: String
        package var tokens: [Symbol: Int64]
        /// Symbols this collector held and another collector took from it in this run (and it has
        /// not held since): their rows are losses, not stragglers.
        package var lost: Set<Symbol>
        /// Symbols of `tokens` being handed over, their rows written: a row of them fenced once the
        /// successor has the lease is a straggler, not a loss.
        package var givingUp: Set<Symbol>

        package init(holder: String, tokens: [Symbol: Int64], lost: Set<Symbol> = [], givingUp: Set<Symbol> = []) {
            self.holder = holder
            self.tokens = tokens
            self.lost = lost
            self.givingUp = givingUp
        }
    }

    private let held = Mutex<Held?>(nil)

    package init() {}

    /// What writes are checked against now; nil: unchecked.
    package var current: Held? { held.withLock { $0 } }

    package func update(_ newValue: Held?) { held.withLock { $0 = newValue } }
}
