import Collector
import Foundation

/// Watchlist editing: add, delete, reorder, switch, create, rename, filter.
/// Every change to the lists answers with a save effect (unless the session
/// does not persist) and, when the active list's symbols change, a watch effect.
extension ViewState {
    /// Most watchlists and most symbols in one list.
    package static let maxWatchlists = 9
    package static let maxSymbols = 200

    mutating func inputKey(_ key: KeyPress, _ input: TextInput) -> [Effect] {
        var input = input
        switch key {
        case .escape:
            if input.purpose == .filter { filter = "" }
            mode = .board
            clampSelection()
            return []
        case .enter:
            return submit(input)
        case .backspace:
            if !input.text.isEmpty { input.text.removeLast() }
        case .character(let c) where !c.isNewline && input.text.count < 40:
            input.text.append(c)
        default:
            return []
        }
        input.error = nil
        mode = .input(input)
        if input.purpose == .filter {
            filter = input.text
            clampSelection()
        }
        return []
    }

    private mutating func submit(_ input: TextInput) -> [Effect] {
        switch input.purpose {
        case .filter:
            filter = input.text
            mode = .board
            clampSelection()
            return []
        case .addSymbol:
            return addSymbols(input)
        case .newWatchlist, .renameWatchlist:
            return nameWatchlist(input)
        }
    }

    /// Adds one or more symbols (comma or space separated); a bad one keeps the prompt open with the reason.
    private mutating func addSymbols(_ input: TextInput) -> [Effect] {
        let symbols: [Symbol]
        do {
            symbols = try Symbol.parseList(input.text)
        } catch {
            mode = .input(TextInput(.addSymbol, text: input.text, error: error.reason))
            return []
        }
        var list = currentWatchlist
        let added = symbols.filter { !list.symbols.contains($0) }
        guard !added.isEmpty else {
            mode = .input(TextInput(.addSymbol, text: input.text, error: "already in \(list.name)"))
            return []
        }
        guard list.symbols.count + added.count <= Self.maxSymbols else {
            mode = .input(TextInput(.addSymbol, text: input.text, error: "a watchlist holds at most \(Self.maxSymbols) symbols"))
            return []
        }
        list.symbols += added
        watchlists[activeWatchlist] = list
        mode = .board
        filter = ""
        sort = nil
        selection = list.symbols.count - 1
        clampSelection()
        message = StatusMessage("added \(added.map(\.rawValue).joined(separator: ", ")) to \(list.name)")
        return [.watch(list.symbols)] + saveEffect()
    }

    mutating func removeSymbol(_ symbol: Symbol) -> [Effect] {
        var list = currentWatchlist
        list.symbols.removeAll { $0 == symbol }
        watchlists[activeWatchlist] = list
        clampSelection()
        message = StatusMessage("deleted \(symbol) from \(list.name)")
        return [.watch(list.symbols)] + saveEffect()
    }

    mutating func moveSelectedSymbol(by delta: Int) -> [Effect] {
        guard sort == nil, filter.isEmpty else {
            message = StatusMessage("reordering needs watchlist order: clear the sort (s) and filter (Esc)", isError: true)
            return []
        }
        var list = currentWatchlist
        let from = selection
        let to = from + delta
        guard list.symbols.indices.contains(from), list.symbols.indices.contains(to) else { return [] }
        list.symbols.swapAt(from, to)
        watchlists[activeWatchlist] = list
        selection = to
        clampSelection()
        return [.watch(list.symbols)] + saveEffect()
    }

    mutating func switchWatchlist(to index: Int) -> [Effect] {
        guard watchlists.indices.contains(index), index != activeWatchlist else { return [] }
        activeWatchlist = index
        selection = 0
        scroll = 0
        filter = ""
        message = StatusMessage("watchlist \(index + 1)/\(watchlists.count): \(currentWatchlist.name)")
        return [.watch(currentWatchlist.symbols)] + saveEffect()
    }

    private mutating func nameWatchlist(_ input: TextInput) -> [Effect] {
        let name = input.text.trimmingCharacters(in: .whitespaces)
        let renaming = input.purpose == .renameWatchlist
        let problem: String? =
            if name.isEmpty {
                "a name is needed"
            } else if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                "use letters, digits, - and _ only"
            } else if watchlists.enumerated().contains(where: {
                $0.element.name == name && !(renaming && $0.offset == activeWatchlist)
            }) {
                "there is already a watchlist named \(name)"
            } else if !renaming && watchlists.count >= Self.maxWatchlists {
                "at most \(Self.maxWatchlists) watchlists"
            } else { nil }
        if let problem {
            mode = .input(TextInput(input.purpose, text: input.text, error: problem))
            return []
        }
        mode = .board
        if renaming {
            let old = currentWatchlist.name
            watchlists[activeWatchlist].name = name
            message = StatusMessage("renamed \(old) to \(name)")
            return saveEffect()
        }
        watchlists.append(Watchlist(name: name, symbols: []))
        let effects = switchWatchlist(to: watchlists.count - 1)
        message = StatusMessage("new watchlist \(name): press a to add symbols")
        return effects.isEmpty ? saveEffect() : effects
    }

    private func saveEffect() -> [Effect] {
        persistsWatchlists ? [.saveWatchlists(watchlists, active: currentWatchlist.name)] : []
    }
}
