import Collector

/// What the screen is showing on top of the board.
package enum ViewMode: Hashable, Sendable {
    case board
    case detail(Symbol)
    /// One source in full: why it is in its state, its failing parts, budget, last error, counters.
    case sourceDetail(SourceID)
    case help
    case input(TextInput)
    case confirmDelete(Symbol)
}

/// A one-line text prompt (add symbol, new or renamed watchlist, filter).
package struct TextInput: Hashable, Sendable {
    package enum Purpose: Hashable, Sendable {
        case addSymbol, newWatchlist, renameWatchlist, filter

        package var prompt: String {
            switch self {
            case .addSymbol: "add symbol"
            case .newWatchlist: "new watchlist name"
            case .renameWatchlist: "rename watchlist to"
            case .filter: "filter"
            }
        }
    }

    package var purpose: Purpose
    package var text: String
    /// Why the last Enter was refused, shown inline.
    package var error: String?

    package init(_ purpose: Purpose, text: String = "", error: String? = nil) {
        self.purpose = purpose
        self.text = text
        self.error = error
    }
}

/// The panels below the quote board, which can be shown, hidden and focused.
package enum Panel: String, Hashable, Sendable, CaseIterable {
    case board, health, alerts, anomalies
    /// The fleet's collectors: shown while the snapshot carries a fleet, never focused.
    case collectors
}

/// How the board is sorted; `nil` keeps watchlist order.
package enum SortColumn: String, Hashable, Sendable, CaseIterable {
    case symbol, last
    case changePercent = "chg%"
    case volume, age
}
