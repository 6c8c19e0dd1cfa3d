import Collector

/// What the screen is showing on top of the board.
public enum ViewMode: Hashable, Sendable {
    case board
    case detail(Symbol)
    /// One source in full: why it is in its state, its failing parts, budget, last error, counters.
    case sourceDetail(SourceID)
    case help
    case input(TextInput)
    case confirmDelete(Symbol)
}

/// A one-line text prompt (add symbol, new or renamed watchlist, filter).
public struct TextInput: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case addSymbol, newWatchlist, renameWatchlist, filter

        public var prompt: String {
            switch self {
            case .addSymbol: "add symbol"
            case .newWatchlist: "new watchlist name"
            case .renameWatchlist: "rename watchlist to"
            case .filter: "filter"
            }
        }
    }

    public var purpose: Purpose
    public var text: String
    /// Why the last Enter was refused, shown inline.
    public var error: String?

    public init(_ purpose: Purpose, text: String = "", error: String? = nil) {
        self.purpose = purpose
        self.text = text
        self.error = error
    }
}

/// The panels below the quote board, which can be shown, hidden and focused.
public enum Panel: String, Hashable, Sendable, CaseIterable {
    case board, health, alerts, anomalies
}

/// How the board is sorted; `nil` keeps watchlist order.
public enum SortColumn: String, Hashable, Sendable, CaseIterable {
    case symbol, last
    case changePercent = "chg%"
    case volume, age
}
